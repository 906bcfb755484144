/**
 * The customer's credit balance: a ledger of credits (downgrades, goodwill) and their use on invoices.
 * Callers hold the customer row lock (lockCustomer) while reading and using it, so two invoices cannot
 * spend the same credit.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { customerBalanceTransactions, customers, type CustomerBalanceTransaction } from '@/db/schema';

/**
 * Locks the customer's row until the transaction ends: what spends their credit, or starts their
 * subscription, waits for the other. NO KEY UPDATE, as invoice creation takes it, so rows that only
 * reference the customer (checkouts, payments) are not blocked.
 */
export async function lockCustomer(tx: DbOrTx, customerId: string): Promise<void> {
  await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).for('no key update');
}

/** Credit available in this currency (never negative: uses are limited to it). */
export async function creditBalance(tx: DbOrTx, customerId: string, currency: string): Promise<number> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${customerBalanceTransactions.amount}), 0)` })
    .from(customerBalanceTransactions)
    .where(and(eq(customerBalanceTransactions.customerId, customerId), eq(customerBalanceTransactions.currency, currency)));
  return Number(row.total);
}

/** Adds a ledger entry once per idempotency key; a repeat returns false and changes nothing. */
export async function recordBalanceTransaction(
  tx: DbOrTx,
  entry: { customerId: string; currency: string; amount: number; type: CustomerBalanceTransaction['type']; invoiceId?: string | null; description: string; idempotencyKey: string },
): Promise<boolean> {
  if (entry.amount === 0) return false;
  const inserted = await tx.insert(customerBalanceTransactions).values({ ...entry, invoiceId: entry.invoiceId ?? null }).onConflictDoNothing({ target: customerBalanceTransactions.idempotencyKey }).returning({ id: customerBalanceTransactions.id });
  return inserted.length > 0;
}
