/** The plans a subscription can change to: active plan prices in its currency, for the change page's choices. */
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { prices, products } from '@/db/schema';

export interface PlanOption {
  priceId: string;
  label: string;
  perSeat: boolean;
  maxQuantity: number;
}

export async function planOptions(db: DbOrTx, currency: string): Promise<PlanOption[]> {
  const rows = await db
    .select({ price: prices, product: products })
    .from(prices)
    .innerJoin(products, eq(products.id, prices.productId))
    .where(and(eq(products.kind, 'plan'), eq(products.active, true), eq(prices.active, true), eq(prices.type, 'recurring'), eq(prices.usageType, 'licensed'), eq(prices.currency, currency)))
    .orderBy(asc(products.sortOrder), asc(prices.interval));
  return rows.map(({ price, product }) => ({ priceId: price.id, label: `${product.name}, ${price.interval}ly`, perSeat: product.perSeat, maxQuantity: product.maxQuantity }));
}
