/**
 * The checkout page's view before anything is charged: the validated price, the quote with the tax
 * for the customer's billing details, and which ways to pay apply. Creates no provider object.
 */
import type { Customer } from '@/db/schema';
import type { RedeemableCoupon } from '@/lib/billing';
import { hasBillingAddress } from '@/lib/billing-details';
import { taxContextFor } from '@/lib/tax';
import { CheckoutRequestError } from './errors';
import { checkCheckoutCoupon, findCheckoutCoupon } from './coupon';
import { ensureCustomer } from './customer';
import { quoteCheckout, type CheckoutQuote } from './quote';
import type { CheckoutDeps } from './start';
import { resolveCheckoutRequest } from './validate';

export interface CheckoutPreview {
  product: { name: string; perSeat: boolean; trialDays: number; kind: string };
  price: { id: string; currency: string; interval: string | null; unitAmount: number };
  quantity: number;
  quote: CheckoutQuote;
  customer: Pick<Customer, 'billingName' | 'country' | 'postalCode' | 'taxId'>;
  /** Billing details are complete, so the tax shown is the tax charged and payment may start. */
  billingReady: boolean;
  paypalAvailable: boolean;
  /** The code entered, and why it does not apply if it does not (the quote is then without it). */
  coupon: { code: string; error: string | null } | null;
}

export async function previewCheckout(deps: Pick<CheckoutDeps, 'db' | 'tax'>, input: { userId: string; priceId: string; quantity: number; couponCode?: string | null }, now: Date): Promise<CheckoutPreview> {
  const customer = await ensureCustomer(deps.db, input.userId);
  const resolved = await resolveCheckoutRequest(deps.db, customer.id, { priceId: input.priceId, quantity: input.quantity, provider: null });
  const billingReady = hasBillingAddress(customer);
  const tax = billingReady ? await taxContextFor(deps.db, deps.tax, customer) : null;
  const quoteWith = (coupon: RedeemableCoupon | null) => quoteCheckout({ price: resolved.price, product: resolved.product, quantity: resolved.quantity, now: now.getTime(), tax, coupon });
  const code = input.couponCode?.trim() || null;
  let quote = quoteWith(null);
  let couponError: string | null = null;
  if (code) {
    try {
      const coupon = await findCheckoutCoupon(deps.db, code);
      quote = quoteWith(coupon && (await checkCheckoutCoupon(deps.db, coupon, customer.id, resolved, now, false)));
    } catch (error) {
      if (!(error instanceof CheckoutRequestError)) throw error;
      couponError = error.message;
    }
  }
  return {
    product: { name: resolved.product.name, perSeat: resolved.product.perSeat, trialDays: resolved.product.trialDays, kind: resolved.product.kind },
    price: { id: resolved.price.id, currency: resolved.price.currency, interval: resolved.price.interval, unitAmount: resolved.price.unitAmount },
    quantity: resolved.quantity,
    quote,
    customer: { billingName: customer.billingName, country: customer.country, postalCode: customer.postalCode, taxId: customer.taxId },
    billingReady,
    // Mirrors validation: a trial saves a method without a charge, which PayPal orders cannot do.
    paypalAvailable: quote.kind === 'payment',
    coupon: code ? { code: code.toUpperCase(), error: couponError } : null,
  };
}
