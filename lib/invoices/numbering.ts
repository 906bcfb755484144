/**
 * Gapless invoice numbers per prefix (`INV-2026-000123`): the counter row is incremented in the
 * transaction that finalizes the invoice, so a rolled-back finalization gives its number back and
 * concurrent finalizations queue on the row lock rather than skip or repeat a number.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { invoiceNumberSequences } from '@/db/schema';

export function invoicePrefix(finalizedAt: Date): string {
  return `INV-${finalizedAt.getUTCFullYear()}`;
}

export async function takeInvoiceNumber(tx: DbOrTx, prefix: string): Promise<string> {
  const [row] = await tx
    .insert(invoiceNumberSequences)
    .values({ prefix, lastNumber: 1 })
    .onConflictDoUpdate({ target: invoiceNumberSequences.prefix, set: { lastNumber: sql`${invoiceNumberSequences.lastNumber} + 1` } })
    .returning({ lastNumber: invoiceNumberSequences.lastNumber });
  return `${prefix}-${String(row.lastNumber).padStart(6, '0')}`;
}
