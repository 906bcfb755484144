/** The billing page's lists: the customer's subscriptions, invoices and checkout receipts, newest first. */
import { and, desc, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { checkouts, customers, invoices, prices, products, subscriptions } from '@/db/schema';

export interface BillingOverview {
  subscriptions: Array<{ id: string; productName: string; status: string; quantity: number; perSeat: boolean; interval: string | null; currentPeriodEnd: Date; trialEnd: Date | null; cancelAtPeriodEnd: boolean }>;
  purchases: Array<{ checkoutId: string; productName: string; total: number; currency: string; completedAt: Date | null }>;
  invoices: Array<{ id: string; number: string; status: string; total: number; amountDue: number; amountPaid: number; currency: string; finalizedAt: Date | null }>;
}

export async function billingOverview(db: DbOrTx, userId: string): Promise<BillingOverview> {
  const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.userId, userId));
  if (!customer) return { subscriptions: [], purchases: [], invoices: [] };
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
  const bills = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.customerId, customer.id), ne(invoices.status, 'draft')))
    .orderBy(desc(invoices.finalizedAt))
    .limit(50);
  return {
    invoices: bills.map((i) => ({ id: i.id, number: i.number!, status: i.status, total: i.total, amountDue: i.amountDue, amountPaid: i.amountPaid, currency: i.currency, finalizedAt: i.finalizedAt })),
    subscriptions: subs.map(({ sub, product, price }) => ({
      id: sub.id,
      productName: product.name,
      status: sub.status,
      quantity: sub.quantity,
      perSeat: product.perSeat,
      interval: price.interval,
      currentPeriodEnd: sub.currentPeriodEnd,
      trialEnd: sub.trialEnd,
      cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    })),
    purchases: done.map(({ checkout, product }) => ({ checkoutId: checkout.id, productName: product.name, total: checkout.total, currency: checkout.currency, completedAt: checkout.completedAt })),
  };
}
