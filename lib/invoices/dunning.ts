/**
 * Dunning, the services around the schedule in lib/billing/dunning.ts: the retries that have fallen
 * due are queued by the billing run; a card the customer adds retries what they owe at once; and the
 * admin's figures (recovered revenue, what is still being retried, what was written off).
 */
import { and, asc, eq, gte, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '@/db/client';
import { invoices, subscriptions } from '@/db/schema';
import { enqueueMany, QUEUES } from '@/lib/jobs/queue';
import type { ChargeInvoiceJob } from './charge';

const RETRY_BATCH = 100;
/** A queued retry's due mark moves this far ahead, so a job that dies is queued again (same attempt, same key). */
const RETRY_LEASE_MS = 60 * 60_000;

/**
 * Queues a charge for every open invoice whose next retry has fallen due, moving the due mark an
 * hour ahead in the same transaction (SKIP LOCKED: concurrent runs share the work). The charge's
 * outcome sets the next mark, clears it, or gives up (lib/invoices/charge.ts); a charge that never
 * records an outcome is queued again when the hour is up, under the same idempotency key.
 */
export async function queueDueRetries(deps: { db: Database; boss: PgBoss }, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const queued = await deps.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: invoices.id, attemptCount: invoices.attemptCount })
        .from(invoices)
        .where(and(eq(invoices.status, 'open'), lte(invoices.nextPaymentAttemptAt, now)))
        .orderBy(asc(invoices.nextPaymentAttemptAt))
        .limit(RETRY_BATCH)
        .for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      await tx.update(invoices).set({ nextPaymentAttemptAt: new Date(now.getTime() + RETRY_LEASE_MS), updatedAt: now }).where(inArray(invoices.id, due.map((row) => row.id)));
      const jobs = due.map((row) => ({ invoiceId: row.id, attempt: row.attemptCount + 1 }) satisfies ChargeInvoiceJob);
      await enqueueMany(deps.boss, tx, QUEUES.chargeInvoice, jobs.map((job) => ({ data: job, singletonKey: `${job.invoiceId}:${job.attempt}` })));
      return due.length;
    });
    total += queued;
    if (queued === 0) return total;
  }
}

/**
 * The customer saved a new default card: every invoice of theirs in dunning (open after a failure)
 * and every one written off whose subscription is unpaid is charged with it at once, inside the
 * caller's transaction. The charge is keyed by invoice and card, so a repeat charges nothing more.
 */
export async function retryOwedInvoices(tx: DbOrTx, boss: PgBoss, customerId: string, paymentMethodId: string): Promise<number> {
  const owed = await tx
    .select({ id: invoices.id, attemptCount: invoices.attemptCount })
    .from(invoices)
    .leftJoin(subscriptions, eq(subscriptions.id, invoices.subscriptionId))
    .where(
      and(
        eq(invoices.customerId, customerId),
        or(and(eq(invoices.status, 'open'), isNotNull(invoices.firstFailedAt)), and(eq(invoices.status, 'uncollectible'), eq(subscriptions.status, 'unpaid'))),
      ),
    );
  const jobs = owed.map((row) => ({ invoiceId: row.id, attempt: row.attemptCount, paymentMethodId }) satisfies ChargeInvoiceJob);
  await enqueueMany(boss, tx, QUEUES.chargeInvoice, jobs.map((job) => ({ data: job, singletonKey: `${job.invoiceId}:method:${paymentMethodId}` })));
  return jobs.length;
}

export interface CurrencyFigure {
  currency: string;
  amount: number;
  invoices: number;
}

export interface DunningSummary {
  /** Paid after at least one failed charge, within the window. */
  recovered: CurrencyFigure[];
  /** Open after a failure: still being retried. */
  retrying: CurrencyFigure[];
  /** Given up on (uncollectible) after failing, within the window. */
  writtenOff: CurrencyFigure[];
}

/** The failed-payment recovery figures over the `days` before `now`, per currency. */
export async function dunningSummary(db: Database, now: Date, days = 30): Promise<DunningSummary> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const figures = (where: ReturnType<typeof and>, amount: ReturnType<typeof sql<string>>) =>
    db
      .select({ currency: invoices.currency, amount, invoices: sql<string>`count(*)` })
      .from(invoices)
      .where(where)
      .groupBy(invoices.currency)
      .orderBy(asc(invoices.currency))
      .then((rows) => rows.map((row) => ({ currency: row.currency, amount: Number(row.amount), invoices: Number(row.invoices) })));
  const owed = sql<string>`sum(${invoices.amountDue} - ${invoices.amountPaid})`;
  const [recovered, retrying, writtenOff] = await Promise.all([
    figures(and(eq(invoices.status, 'paid'), isNotNull(invoices.firstFailedAt), gte(invoices.paidAt, since)), sql<string>`sum(${invoices.amountPaid})`),
    figures(and(eq(invoices.status, 'open'), isNotNull(invoices.firstFailedAt)), owed),
    figures(and(eq(invoices.status, 'uncollectible'), isNotNull(invoices.firstFailedAt), gte(invoices.updatedAt, since)), owed),
  ]);
  return { recovered, retrying, writtenOff };
}
