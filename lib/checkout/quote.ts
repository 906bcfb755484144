/**
 * What a checkout charges: the ONE place that turns a catalog price and a quantity into today's
 * amount, the first period and the next charge. Pure: the clock is a parameter, nothing is read or
 * written. Start, fulfilment and the checkout page all use it, so what is shown is what is charged.
 */
import {
  computeInvoiceTotals,
  cycleFor,
  flatSubscriptionLine,
  money,
  oneTimeLine,
  periodAt,
  periodAmount,
  subscriptionLine,
  trialEndsAt,
  zero,
  type BillingPeriod,
  type EpochMs,
  type InvoiceLine,
  type Money,
  type RecurringPrice,
  type TaxLine,
  type TaxResult,
} from '@/lib/billing';
import { taxOn, type TaxContext } from '@/lib/tax';
import type { Price, Product } from '@/db/schema';

export interface CheckoutQuote {
  /** `setup`: nothing is due today (a free trial); the payment method is only saved. */
  kind: 'payment' | 'setup';
  currency: string;
  quantity: number;
  /** Of the first paid invoice (today's, or the one at trial end). */
  subtotal: Money;
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
export type QuotableProduct = Pick<Product, 'name' | 'trialDays'>;

function taxFor(price: QuotablePrice, lines: readonly InvoiceLine[], tax: TaxContext | null, at: EpochMs): TaxResult {
  return taxOn(tax, { currency: price.currency, lines, inclusive: price.taxBehavior === 'inclusive', at });
}

function recurring(price: QuotablePrice, product: QuotableProduct): RecurringPrice {
  if (price.type !== 'recurring' || !price.interval || !price.intervalCount) throw new Error(`price ${price.id} is not recurring`);
  const pricingModel = price.pricingModel === 'flat' ? 'flat' : 'per_unit';
  return { id: price.id, name: product.name, currency: price.currency, unitAmount: price.unitAmount, interval: price.interval, intervalCount: price.intervalCount, pricingModel };
}

/** The quote for `quantity` of `price` when the customer checks out at `now`. */
export function quoteCheckout(input: { price: QuotablePrice; product: QuotableProduct; quantity: number; now: EpochMs; tax: TaxContext | null }): CheckoutQuote {
  const { price, product, quantity, now } = input;
  const taxInclusive = price.taxBehavior === 'inclusive';
  const currency = price.currency;

  if (price.type === 'one_time') {
    const lines = [oneTimeLine({ priceId: price.id, description: product.name, unitAmount: money(price.unitAmount, currency), quantity })];
    const tax = taxFor(price, lines, input.tax, now);
    const totals = computeInvoiceTotals({ currency, lines, taxes: tax.taxes });
    return { kind: 'payment', currency: totals.currency, quantity, subtotal: totals.subtotal, tax: totals.taxTotal, taxLines: tax.taxes, taxNote: tax.note, taxInclusive, total: totals.total, dueToday: totals.amountDue, subscription: null };
  }

  const item = { price: recurring(price, product), quantity };
  const trialEnd = product.trialDays > 0 ? trialEndsAt(now, product.trialDays) : null;
  // A trial anchors the cycle at its end, so the first charge and every renewal fall on that day.
  const anchor = trialEnd ?? now;
  const firstPaid = periodAt(cycleFor(item.price, anchor), 0);
  const line =
    item.price.pricingModel === 'flat'
      ? flatSubscriptionLine({ priceId: price.id, description: product.name, amount: periodAmount(item), quantity, period: firstPaid })
      : subscriptionLine({ priceId: price.id, description: product.name, unitAmount: money(price.unitAmount, currency), quantity, period: firstPaid });
  const lines = [line];
  // Tax at the first charge's date: a trial's first invoice is taxed at the rate in force when it ends.
  const tax = taxFor(price, lines, input.tax, anchor);
  const totals = computeInvoiceTotals({ currency, lines, taxes: tax.taxes });
  const currentPeriod = trialEnd === null ? firstPaid : { start: now, end: trialEnd };
  return {
    kind: trialEnd === null ? 'payment' : 'setup',
    currency: totals.currency,
    quantity,
    subtotal: totals.subtotal,
    tax: totals.taxTotal,
    taxLines: tax.taxes,
    taxNote: tax.note,
    taxInclusive,
    total: totals.total,
    dueToday: trialEnd === null ? totals.amountDue : zero(currency),
    subscription: {
      status: trialEnd === null ? 'active' : 'trialing',
      currentPeriod: { start: currentPeriod.start, end: currentPeriod.end },
      trialEnd,
      anchor,
      nextChargeAt: currentPeriod.end,
      nextChargeAmount: totals.amountDue,
    },
  };
}
