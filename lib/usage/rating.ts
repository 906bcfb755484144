/**
 * Rating usage into invoices, in arrears: at a period end, each metered item of a subscription is
 * billed for the events not yet on an invoice that occurred before that end, priced by its model
 * (lib/billing/usage-pricing). Which events are on an invoice is a watermark on the subscription,
 * not a mark per event, so a million events cost one aggregate query, not a million updates:
 *
 *   rated  ⇔  id ≤ usage_rated_through_id  and  occurred_at < usage_rated_until
 *
 * An event that arrives after its period was invoiced has a higher id, so the next invoice takes
 * it; one dated after the end it was rated at is taken by a later period. The billing run holds the
 * subscription row `FOR UPDATE` while it reads the highest id; ingestion locks the row `FOR KEY SHARE`
 * before its events take their ids (lib/usage/ingest), so no event commits later with a lower id.
 */
import { and, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { meters, prices, products, subscriptionItems, subscriptions, usageEvents, type Meter, type Price, type Subscription } from '@/db/schema';
import { BillingInputError, usageAmount, usageLine, type Money, type UsageLine, type UsagePrice } from '@/lib/billing';

/** What the usage pricing needs from a metered catalog price. */
export function usagePriceOf(price: Price): UsagePrice {
  switch (price.pricingModel) {
    case 'per_unit':
      return { model: 'per_unit', currency: price.currency, unitAmount: price.unitAmount };
    case 'package':
      return { model: 'package', currency: price.currency, unitAmount: price.unitAmount, packageSize: price.packageSize ?? 1 };
    case 'graduated':
    case 'volume':
      return { model: price.pricingModel, currency: price.currency, tiers: price.tiers ?? [] };
    default:
      throw new BillingInputError(`price ${price.lookupKey} is metered but priced ${price.pricingModel}; use per_unit, package, graduated or volume`);
  }
}

interface MeteredItem {
  subscriptionId: string;
  price: Price;
  meter: Meter;
  productName: string;
}

async function meteredItems(tx: DbOrTx, subscriptionIds: readonly string[]): Promise<MeteredItem[]> {
  if (subscriptionIds.length === 0) return [];
  const rows = await tx
    .select({ subscriptionId: subscriptionItems.subscriptionId, price: prices, meter: meters, productName: products.name })
    .from(subscriptionItems)
    .innerJoin(prices, eq(prices.id, subscriptionItems.priceId))
    .innerJoin(products, eq(products.id, prices.productId))
    .innerJoin(meters, eq(meters.id, subscriptionItems.meterId))
    .where(inArray(subscriptionItems.subscriptionId, [...subscriptionIds]));
  return rows;
}

const plural = (n: number, unit: string) => `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;

/** Σ quantity per (subscription, meter) of the events not yet rated that occurred before each `until` (none: all of them). */
async function unratedTotals(tx: DbOrTx, subs: ReadonlyArray<{ sub: Subscription; until: Date | null }>): Promise<Map<string, number>> {
  if (subs.length === 0) return new Map();
  const unrated = subs.map(({ sub, until }) =>
    and(
      eq(usageEvents.subscriptionId, sub.id),
      until ? lt(usageEvents.occurredAt, until) : undefined,
      sub.usageRatedUntil ? or(gt(usageEvents.id, sub.usageRatedThroughId), gte(usageEvents.occurredAt, sub.usageRatedUntil)) : gt(usageEvents.id, sub.usageRatedThroughId),
    ),
  );
  const rows = await tx
    .select({ subscriptionId: usageEvents.subscriptionId, meterId: usageEvents.meterId, quantity: sql<string>`sum(${usageEvents.quantity})` })
    .from(usageEvents)
    .where(or(...unrated))
    .groupBy(usageEvents.subscriptionId, usageEvents.meterId);
  return new Map(rows.map((row) => [`${row.subscriptionId}:${row.meterId}`, Number(row.quantity)]));
}

export interface RatedUsage {
  lines: UsageLine[];
  /** The watermark the subscription moves to. */
  ratedThroughId: number;
  ratedUntil: Date;
}

/**
 * The usage lines of each subscription's ended period [start, end) and its new watermark, for
 * subscriptions the caller holds `FOR UPDATE`. Subscriptions without metered items are left out.
 * `billed: false` moves the watermark without billing (usage during a trial is free).
 */
export async function rateUsage(tx: DbOrTx, ended: ReadonlyArray<{ sub: Subscription; start: Date; end: Date; billed: boolean }>): Promise<Map<string, RatedUsage>> {
  const items = await meteredItems(tx, ended.map((e) => e.sub.id));
  if (items.length === 0) return new Map();
  const metered = ended.filter((e) => items.some((item) => item.subscriptionId === e.sub.id));
  const ids = metered.map((e) => e.sub.id);
  const [totals, latest] = await Promise.all([
    unratedTotals(tx, metered.map((e) => ({ sub: e.sub, until: e.end }))),
    tx.select({ subscriptionId: usageEvents.subscriptionId, maxId: sql<string>`max(${usageEvents.id})` }).from(usageEvents).where(inArray(usageEvents.subscriptionId, ids)).groupBy(usageEvents.subscriptionId),
  ]);
  const latestId = new Map(latest.map((row) => [row.subscriptionId, Number(row.maxId)]));
  const rated = new Map<string, RatedUsage>();
  for (const { sub, start, end, billed } of metered) {
    const lines = billed
      ? items
          .filter((item) => item.subscriptionId === sub.id)
          .flatMap((item) => {
            const quantity = totals.get(`${sub.id}:${item.meter.id}`) ?? 0;
            if (quantity === 0) return [];
            if (!Number.isSafeInteger(quantity)) throw new BillingInputError(`subscription ${sub.id}: ${quantity} ${item.meter.unit}s of ${item.meter.key} in one period is more than can be billed exactly`);
            return [usageLine({ priceId: item.price.id, description: `${item.productName}: ${plural(quantity, item.meter.unit)}`, price: usagePriceOf(item.price), quantity, period: { start: start.getTime(), end: end.getTime() } })];
          })
      : [];
    rated.set(sub.id, { lines, ratedThroughId: Math.max(sub.usageRatedThroughId, latestId.get(sub.id) ?? 0), ratedUntil: end });
  }
  return rated;
}

/** Moves each rated subscription's watermark, in one statement. */
export async function advanceUsageWatermarks(tx: DbOrTx, rated: ReadonlyMap<string, RatedUsage>): Promise<void> {
  if (rated.size === 0) return;
  const values = [...rated].map(([id, r]) => sql`(${id}::uuid, ${r.ratedThroughId}::bigint, ${r.ratedUntil.toISOString()}::timestamptz)`);
  await tx.execute(sql`
    update ${subscriptions} set usage_rated_through_id = v.through_id, usage_rated_until = v.rated_until
    from (values ${sql.join(values, sql`, `)}) as v(id, through_id, rated_until)
    where ${subscriptions.id} = v.id`);
}

export interface UsageSoFar {
  meterKey: string;
  name: string;
  unit: string;
  quantity: number;
  /** What it would cost if the period ended now. */
  amount: Money;
}

/** The usage not yet invoiced on each metered item of each subscription, and what it comes to so far. Two queries for any number. */
export async function usageSoFar(tx: DbOrTx, subs: readonly Subscription[]): Promise<Map<string, UsageSoFar[]>> {
  const items = await meteredItems(tx, subs.map((sub) => sub.id));
  const withItems = subs.filter((sub) => items.some((item) => item.subscriptionId === sub.id));
  const totals = await unratedTotals(tx, withItems.map((sub) => ({ sub, until: null })));
  return new Map(
    subs.map((sub) => [
      sub.id,
      items
        .filter((item) => item.subscriptionId === sub.id)
        .map((item) => {
          const quantity = totals.get(`${sub.id}:${item.meter.id}`) ?? 0;
          return { meterKey: item.meter.key, name: item.productName, unit: item.meter.unit, quantity, amount: usageAmount(usagePriceOf(item.price), quantity) };
        }),
    ]),
  );
}
