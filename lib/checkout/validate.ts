/**
 * Resolves what the browser asked to buy ({priceId, quantity, provider}) against the server's
 * catalog. Amounts in the request are never read: the price row decides what is charged.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { prices, products, subscriptions, type Price, type Product } from '@/db/schema';
import { CheckoutConflictError, CheckoutRequestError } from './errors';
import { isUuid } from '@/lib/ids';

export type CheckoutProvider = 'stripe' | 'paypal';

export type CheckoutSurface = 'elements' | 'hosted';

export interface CheckoutRequest {
  priceId: string;
  quantity: number;
  /** Null when only previewing (the checkout page before a payment method is chosen). */
  provider: CheckoutProvider | null;
  surface?: CheckoutSurface;
}

export interface ResolvedCheckout {
  price: Price;
  product: Product;
  quantity: number;
  provider: CheckoutProvider | null;
  surface: CheckoutSurface;
}

/** Subscription states in which the customer already has the product (manage it in /billing instead). */
export const CURRENT_SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'paused'] as const;

export function isCurrentSubscriptionStatus(status: string): boolean {
  return (CURRENT_SUBSCRIPTION_STATUSES as readonly string[]).includes(status);
}


export async function resolveCheckoutRequest(db: DbOrTx, customerId: string | null, request: CheckoutRequest): Promise<ResolvedCheckout> {
  // A tampered id is refused here rather than reaching PostgreSQL as an invalid uuid.
  if (!isUuid(request.priceId)) throw new CheckoutRequestError('unknown_price', 'This price does not exist.');
  const [row] = await db.select({ price: prices, product: products }).from(prices).innerJoin(products, eq(products.id, prices.productId)).where(eq(prices.id, request.priceId));
  if (!row) throw new CheckoutRequestError('unknown_price', 'This price does not exist.');
  const { price, product } = row;
  if (!price.active || !product.active) throw new CheckoutRequestError('price_inactive', `${product.name} is no longer sold at this price.`);
  if (product.kind === 'add_on' || price.usageType === 'metered') {
    throw new CheckoutRequestError('not_sold_alone', `${product.name} is an add-on billed by usage; add it to a plan instead of buying it alone.`);
  }
  if (price.pricingModel !== 'per_unit' && price.pricingModel !== 'flat') {
    throw new CheckoutRequestError('not_sold_alone', `${product.name} is priced by usage and cannot be bought at checkout.`);
  }

  const { quantity } = request;
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new CheckoutRequestError('invalid_quantity', 'The quantity must be a whole number of at least 1.');
  if (product.perSeat) {
    if (quantity > product.maxQuantity) {
      throw new CheckoutRequestError('invalid_quantity', `${product.name} allows at most ${product.maxQuantity} seats.`);
    }
  } else if (quantity !== 1) {
    throw new CheckoutRequestError('invalid_quantity', `${product.name} is bought one at a time.`);
  }

  // Decision: PayPal trials need a vault setup token flow (no charge today); until it exists a trial is paid for by card.
  const surface = request.surface ?? 'elements';
  if (surface === 'hosted' && request.provider !== 'stripe') throw new CheckoutRequestError('provider_unavailable', 'The hosted payment page is for cards (Stripe).');
  if (request.provider === 'paypal' && product.kind === 'plan' && product.trialDays > 0) {
    throw new CheckoutRequestError('provider_unavailable', `The ${product.name} trial starts with a card; PayPal is not available for trials yet.`);
  }

  if (customerId && product.kind === 'plan') {
    const [current] = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.customerId, customerId), eq(subscriptions.productId, product.id), inArray(subscriptions.status, [...CURRENT_SUBSCRIPTION_STATUSES])))
      .limit(1);
    if (current) {
      throw new CheckoutConflictError('already_subscribed', `You already have ${product.name}. Change its plan, interval or seats on your billing page.`, '/billing');
    }
  }
  return { price, product, quantity, provider: request.provider, surface };
}
