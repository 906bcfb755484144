/**
 * What a checkout charges: the ONE place that turns a catalog price and a quantity into today's
 * amount, the first period and the next charge. Pure: the clock is a parameter, nothing is read or
 * written. Start, fulfilment and the checkout page all use it, so what is shown is what is charged.
 */
import {
  computeInvoiceTotals,
  cycleFor,
  discountAppliesToPeriod,
  discountFor,
  flatSubscriptionLine,
  money,
  oneTimeLine,
  periodAt,
  periodAmount,
  subscriptionLine,
  trialEndsAt,
  zero,
  type BillingPeriod,
  type CouponDefinition,
  type DiscountLine,
  type EpochMs,
  type InvoiceLine,
  type Money,
  type RecurringPrice,
  type TaxLine,
  type TaxResult,
} from '@/lib/billing';
import { taxOn, type TaxContext } from '@/lib/tax';
import type { Price, Product } from '@/db/schema';
import { CheckoutRequestError } from './errors';

export interface CheckoutQuote {
  /** `setup`: nothing is due today (a free trial); the payment method is only saved. */
  kind: 'payment' | 'setup';
  currency: string;
  quantity: number;
  /** Of the first paid invoice (today's, or the one at trial end). */
  subtotal: Money;
  /** The coupon's discount on that invoice, if a coupon was entered and takes something off. */
  discount: DiscountLine | null;
  tax: Money;
  /** Rate, jurisdiction and type of each tax, as the invoice will show them. */
  taxLines: TaxLine[];
  /** The invoice's legal note (a reverse charge), if any. */
  taxNote: string | null;
  /** True when the price already includes the tax (the total is then the subtotal). */
  taxInclusive: boolean;
  total: Money;
  dueToday: Money;
  /** Null for a one-time purchase. */
  subscription: null | {
    status: 'trialing' | 'active';
    /** The first period: the trial, or the first paid period. */
    currentPeriod: BillingPeriod;
    trialEnd: EpochMs | null;
    /** Every later boundary is computed from this instant: the start, or the trial's end. */
    anchor: EpochMs;
    nextChargeAt: EpochMs;
    nextChargeAmount: Money;
  };
}

export type QuotablePrice = Pick<Price, 'id' | 'currency' | 'unitAmount' | 'type' | 'interval' | 'intervalCount' | 'pricingModel' | 'taxBehavior'>;
export type QuotableProduct = Pick<Product, 'id' | 'name' | 'trialDays'>;

interface QuotedInvoice {
  discount: DiscountLine | null;
  tax: TaxResult;
  totals: ReturnType<typeof computeInvoiceTotals>;
}

/** One invoice of the checkout: its coupon's discount (if the coupon covers it), then tax on the discounted lines. */
function invoiceOf(input: { price: QuotablePrice; product: QuotableProduct; lines: readonly InvoiceLine[]; coupon: CouponDefinition | null; tax: TaxContext | null; at: EpochMs }): QuotedInvoice {
  const { price, lines } = input;
  const discount = input.coupon ? discountFor(input.coupon, lines.map((line) => ({ amount: line.amount, productId: input.product.id })), price.currency) : null;
  const discounts = discount ? [discount] : [];
  const tax = taxOn(input.tax, { currency: price.currency, lines, discounts, inclusive: price.taxBehavior === 'inclusive', at: input.at });
  return { discount, tax, totals: computeInvoiceTotals({ currency: price.currency, lines, discounts, taxes: tax.taxes }) };
}

function recurring(price: QuotablePrice, product: QuotableProduct): RecurringPrice {
  if (price.type !== 'recurring' || !price.interval || !price.intervalCount) throw new Error(`price ${price.id} is not recurring`);
  const pricingModel = price.pricingModel === 'flat' ? 'flat' : 'per_unit';
  return { id: price.id, name: product.name, currency: price.currency, unitAmount: price.unitAmount, interval: price.interval, intervalCount: price.intervalCount, pricingModel };
}

/**
 * The quote for `quantity` of `price` when the customer checks out at `now`, with the coupon they
 * entered (already checked redeemable): it discounts the first paid invoice, and the next charge when
 * its duration covers that one too.
 */
export function quoteCheckout(input: { price: QuotablePrice; product: QuotableProduct; quantity: number; now: EpochMs; tax: TaxContext | null; coupon?: CouponDefinition | null }): CheckoutQuote {
  const { price, product, quantity, now } = input;
  const coupon = input.coupon ?? null;
  const taxInclusive = price.taxBehavior === 'inclusive';
  const currency = price.currency;

  if (price.type === 'one_time') {
    const lines = [oneTimeLine({ priceId: price.id, description: product.name, unitAmount: money(price.unitAmount, currency), quantity })];
    const { discount, tax, totals } = invoiceOf({ price, product, lines, coupon, tax: input.tax, at: now });
    // A free order would need no payment, and an order is a record of one.
    if (totals.amountDue.amount === 0) throw new CheckoutRequestError('coupon_not_applicable', 'This code would make the purchase free, and a one-time purchase needs a payment.');
    return { kind: 'payment', currency: totals.currency, quantity, subtotal: totals.subtotal, discount, tax: totals.taxTotal, taxLines: tax.taxes, taxNote: tax.note, taxInclusive, total: totals.total, dueToday: totals.amountDue, subscription: null };
  }

  const item = { price: recurring(price, product), quantity };
  const trialEnd = product.trialDays > 0 ? trialEndsAt(now, product.trialDays) : null;
  // A trial anchors the cycle at its end, so the first charge and every renewal fall on that day.
  const anchor = trialEnd ?? now;
  const cycle = cycleFor(item.price, anchor);
  const lineFor = (period: BillingPeriod) =>
    item.price.pricingModel === 'flat'
      ? flatSubscriptionLine({ priceId: price.id, description: product.name, amount: periodAmount(item), quantity, period })
      : subscriptionLine({ priceId: price.id, description: product.name, unitAmount: money(price.unitAmount, currency), quantity, period });
  const firstPaid = periodAt(cycle, 0);
  // Tax at the first charge's date: a trial's first invoice is taxed at the rate in force when it ends.
  const first = invoiceOf({ price, product, lines: [lineFor(firstPaid)], coupon, tax: input.tax, at: anchor });
  const { totals, tax } = first;
  // Without a trial the next charge is the second paid invoice, which a `once` coupon no longer covers.
  const next = trialEnd !== null ? first : invoiceOf({ price, product, lines: [lineFor(periodAt(cycle, 1))], coupon: coupon && discountAppliesToPeriod(coupon, 1) ? coupon : null, tax: input.tax, at: firstPaid.end });
  const currentPeriod = trialEnd === null ? firstPaid : { start: now, end: trialEnd };
  const dueToday = trialEnd === null ? totals.amountDue : zero(currency);
  return {
    // Nothing due today (a trial, or a first period the coupon makes free): the payment method is only saved.
    kind: dueToday.amount === 0 ? 'setup' : 'payment',
    currency: totals.currency,
    quantity,
    subtotal: totals.subtotal,
    discount: first.discount,
    tax: totals.taxTotal,
    taxLines: tax.taxes,
    taxNote: tax.note,
    taxInclusive,
    total: totals.total,
    dueToday,
    subscription: {
      status: trialEnd === null ? 'active' : 'trialing',
      currentPeriod: { start: currentPeriod.start, end: currentPeriod.end },
      trialEnd,
      anchor,
      nextChargeAt: currentPeriod.end,
      nextChargeAmount: next.totals.amountDue,
    },
  };
}
