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
  const [number] = await takeInvoiceNumbers(tx, prefix, 1);
  return number;
}

/** `count` consecutive numbers in one statement: a batch of finalizations waits on the row lock once. */
export async function takeInvoiceNumbers(tx: DbOrTx, prefix: string, count: number): Promise<string[]> {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`takeInvoiceNumbers: count must be a positive integer, got ${count}`);
  const [row] = await tx
    .insert(invoiceNumberSequences)
    .values({ prefix, lastNumber: count })
    .onConflictDoUpdate({ target: invoiceNumberSequences.prefix, set: { lastNumber: sql`${invoiceNumberSequences.lastNumber} + ${count}` } })
    .returning({ lastNumber: invoiceNumberSequences.lastNumber });
  const first = row.lastNumber - count + 1;
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(first + i).padStart(6, '0')}`);
}
