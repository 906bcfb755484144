/**
 * The usage of a subscription's last period, however it ended (at its period end, canceled now by
 * the customer or an admin, or by dunning): the billing run finds ended subscriptions with unrated
 * usage, rates it up to the end and invoices it on its own ('subscription_end', finalized and
 * charged with the renewals). Usage during a trial is free.
 */
import { and, eq, exists, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customers, prices, subscriptionItems, subscriptions } from '@/db/schema';
import type { SellerTaxSettings } from '@/lib/billing';
import { advanceUsageWatermarks, rateUsage } from '@/lib/usage/rating';
import { createInvoices } from './create';

const BATCH = 50;

/** Invoices the unbilled usage of every ended subscription with metered items; returns how many it looked at. */
export async function invoiceEndedUsage(deps: { db: Database; tax: SellerTaxSettings }, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await deps.db.transaction(async (tx) => {
      const ended = await tx
        .select()
        .from(subscriptions)
        .where(
          and(
            eq(subscriptions.status, 'canceled'),
            isNotNull(subscriptions.endedAt),
            or(isNull(subscriptions.usageRatedUntil), lt(subscriptions.usageRatedUntil, subscriptions.endedAt)),
            exists(tx.select({ one: sql`1` }).from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, subscriptions.id))),
          ),
        )
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (ended.length === 0) return 0;
      // Usage during a trial is free, as at renewal; a period that had not begun has none.
      const rated = await rateUsage(
        tx,
        ended.map((sub) => {
          const inPeriod = sub.endedAt! > sub.currentPeriodStart;
          const inTrial = sub.trialEnd !== null && sub.endedAt! <= sub.trialEnd;
          return { sub, start: sub.currentPeriodStart, end: inPeriod ? sub.endedAt! : sub.currentPeriodEnd, billed: inPeriod && !inTrial };
        }),
      );
      const billed = ended.filter((sub) => (rated.get(sub.id)?.lines.length ?? 0) > 0);
      if (billed.length > 0) {
        const rows = await tx
          .select({ subscriptionId: subscriptions.id, price: prices, customer: customers })
          .from(subscriptions)
          .innerJoin(prices, eq(prices.id, subscriptions.priceId))
          .innerJoin(customers, eq(customers.id, subscriptions.customerId))
          .where(inArray(subscriptions.id, billed.map((sub) => sub.id)));
        const of = new Map(rows.map((row) => [row.subscriptionId, row]));
        await createInvoices(
          tx,
          deps.tax,
          billed.map((sub) => {
            const { price, customer } = of.get(sub.id)!;
            return { customer, subscriptionId: sub.id, billingReason: 'subscription_end' as const, currency: price.currency, lines: rated.get(sub.id)!.lines, period: { start: sub.currentPeriodStart.getTime(), end: sub.endedAt!.getTime() }, taxInclusive: price.taxBehavior === 'inclusive', now };
          }),
        );
      }
      // Rated up to the end, billed or not, so the subscription is not looked at again.
      await advanceUsageWatermarks(tx, new Map(ended.map((sub) => [sub.id, { lines: [], ratedThroughId: rated.get(sub.id)?.ratedThroughId ?? sub.usageRatedThroughId, ratedUntil: sub.endedAt! }])));
      return ended.length;
    });
    total += handled;
    if (handled < BATCH) return total;
  }
}
