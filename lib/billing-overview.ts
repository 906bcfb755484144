/** The billing page's list: the customer's subscriptions and completed purchases, newest first. */
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { checkouts, customers, prices, products, subscriptions } from '@/db/schema';

export interface BillingOverview {
  subscriptions: Array<{ id: string; productName: string; status: string; quantity: number; perSeat: boolean; interval: string | null; currentPeriodEnd: Date; trialEnd: Date | null }>;
  purchases: Array<{ checkoutId: string; productName: string; total: number; currency: string; completedAt: Date | null }>;
}

export async function billingOverview(db: DbOrTx, userId: string): Promise<BillingOverview> {
  const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.userId, userId));
  if (!customer) return { subscriptions: [], purchases: [] };
  const subs = await db
    .select({ sub: subscriptions, product: products, price: prices })
    .from(subscriptions)
    .innerJoin(products, eq(products.id, subscriptions.productId))
    .innerJoin(prices, eq(prices.id, subscriptions.priceId))
    .where(eq(subscriptions.customerId, customer.id))
    .orderBy(desc(subscriptions.createdAt));
  const done = await db
    .select({ checkout: checkouts, product: products })
    .from(checkouts)
    .innerJoin(prices, eq(prices.id, checkouts.priceId))
    .innerJoin(products, eq(products.id, prices.productId))
    .where(and(eq(checkouts.customerId, customer.id), eq(checkouts.status, 'completed')))
    .orderBy(desc(checkouts.completedAt));
  return {
    subscriptions: subs.map(({ sub, product, price }) => ({
      id: sub.id,
      productName: product.name,
      status: sub.status,
      quantity: sub.quantity,
      perSeat: product.perSeat,
      interval: price.interval,
      currentPeriodEnd: sub.currentPeriodEnd,
      trialEnd: sub.trialEnd,
    })),
    purchases: done.map(({ checkout, product }) => ({ checkoutId: checkout.id, productName: product.name, total: checkout.total, currency: checkout.currency, completedAt: checkout.completedAt })),
  };
}
