/**
 * Metered add-ons on a subscription: which ones the customer may add (same currency and billing
 * cycle as the plan, not yet on it) and adding one. Nothing is charged when it is added: its usage
 * is billed at each period end (lib/usage/rating).
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { customers, prices, products, subscriptionItems, subscriptions, type Price, type Subscription } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { isUuid } from '@/lib/ids';
import { SubscriptionActionError } from '@/lib/subscriptions/errors';

const LIVE = ['trialing', 'active', 'past_due'] as const;

export interface UsageAddOn {
  priceId: string;
  name: string;
  description: string;
}

/**
 * The metered add-ons each subscription could take: active, same currency and cycle as its plan, a
 * meter not yet on it. Two queries for any number of subscriptions.
 */
export async function availableUsageAddOns(db: DbOrTx, subs: ReadonlyArray<{ sub: Subscription; plan: Price }>): Promise<Map<string, UsageAddOn[]>> {
  const live = subs.filter(({ sub, plan }) => LIVE.includes(sub.status as (typeof LIVE)[number]) && plan.interval);
  const result = new Map(subs.map(({ sub }) => [sub.id, [] as UsageAddOn[]]));
  if (live.length === 0) return result;
  const [items, metered] = await Promise.all([
    db.select({ subscriptionId: subscriptionItems.subscriptionId, meterId: subscriptionItems.meterId }).from(subscriptionItems).where(inArray(subscriptionItems.subscriptionId, live.map(({ sub }) => sub.id))),
    db
      .select({ price: prices, product: products })
      .from(prices)
      .innerJoin(products, eq(products.id, prices.productId))
      .where(and(eq(prices.usageType, 'metered'), eq(prices.active, true), eq(products.active, true), isNotNull(prices.meterId))),
  ]);
  for (const { sub, plan } of live) {
    const taken = new Set(items.filter((item) => item.subscriptionId === sub.id).map((item) => item.meterId));
    result.set(
      sub.id,
      metered
        .filter(({ price }) => price.currency === plan.currency && price.interval === plan.interval && price.intervalCount === (plan.intervalCount ?? 1) && !taken.has(price.meterId!))
        .map(({ price, product }) => ({ priceId: price.id, name: product.name, description: product.description })),
    );
  }
  return result;
}

/** The customer adds a metered add-on to their subscription; refused with a clear reason otherwise. */
export async function addUsageAddOn(db: Database, input: { userId: string; subscriptionId: string; priceId: string; now: Date }): Promise<void> {
  const notFound = () => new SubscriptionActionError(404, 'not_found', 'This subscription or add-on was not found.');
  if (!isUuid(input.subscriptionId) || !isUuid(input.priceId)) throw notFound();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ sub: subscriptions, plan: prices })
      .from(subscriptions)
      .innerJoin(customers, eq(customers.id, subscriptions.customerId))
      .innerJoin(prices, eq(prices.id, subscriptions.priceId))
      .where(and(eq(subscriptions.id, input.subscriptionId), eq(customers.userId, input.userId)))
      .for('update', { of: subscriptions });
    if (!row) throw notFound();
    const addOn = (await availableUsageAddOns(tx, [row])).get(row.sub.id)!.find((a) => a.priceId === input.priceId);
    if (!addOn) {
      const [existing] = await tx.select({ id: subscriptionItems.id }).from(subscriptionItems).innerJoin(prices, eq(prices.meterId, subscriptionItems.meterId)).where(and(eq(subscriptionItems.subscriptionId, row.sub.id), inArray(prices.id, [input.priceId])));
      throw existing ? new SubscriptionActionError(409, 'already_added', 'This add-on is already on your subscription.') : new SubscriptionActionError(400, 'not_available', 'This add-on cannot be added to this subscription (it must match its currency and billing cycle, and the subscription must be live).');
    }
    const [price] = await tx.select().from(prices).where(eq(prices.id, input.priceId));
    const [item] = await tx.insert(subscriptionItems).values({ subscriptionId: row.sub.id, priceId: price.id, meterId: price.meterId! }).returning();
    await writeAudit(tx, { actorType: 'user', actorId: input.userId, action: 'subscription.usage_item_added', entityType: 'subscription', entityId: row.sub.id, after: { itemId: item.id, priceId: price.id, addOn: addOn.name } });
  });
}
