import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BillingInputError, CurrencyMismatchError } from './errors';
import {
  computeInvoiceTotals,
  flatSubscriptionLine,
  oneTimeLine,
  subscriptionLine,
  type DiscountLine,
  type InvoiceLine,
  type ProrationLine,
  type TaxLine,
} from './invoice-totals';
import { money } from './money';

const usd = (amount: number) => money(amount, 'USD');
const period = { start: Date.parse('2024-04-01T00:00:00Z'), end: Date.parse('2024-05-01T00:00:00Z') };
const seats = (unit: number, quantity: number) => subscriptionLine({ priceId: 'team', description: 'Team seats', unitAmount: usd(unit), quantity, period });
const proration = (amount: number): ProrationLine => ({
  kind: 'proration',
  direction: amount < 0 ? 'credit' : 'charge',
  priceId: 'p',
  description: 'proration',
  quantity: 1,
  unitAmount: usd(Math.abs(amount)),
  amount: usd(amount),
  period,
});
const discount = (amount: number): DiscountLine => ({ kind: 'discount', couponId: 'c', description: 'coupon', amount: usd(amount) });
const tax = (amount: number, inclusive = false): TaxLine => ({
  kind: 'tax',
  taxRateId: 't',
  description: 'VAT',
  amount: usd(amount),
  inclusive,
  type: 'vat',
  jurisdiction: 'Germany',
  percentage: '19',
  taxableAmount: usd(0),
});

describe('line builders', () => {
  it('prices seats as unit × quantity', () => {
    expect(seats(1200, 7).amount).toEqual(usd(8400));
    expect(oneTimeLine({ description: 'Setup fee', unitAmount: usd(4900), quantity: 2 })).toMatchObject({ kind: 'one_time', priceId: null, amount: usd(9800) });
    expect(flatSubscriptionLine({ priceId: 'flat', description: 'Flat', amount: usd(5000), quantity: 3, period }).amount).toEqual(usd(5000));
  });
  it('rejects bad quantities, negative unit amounts and empty periods', () => {
    expect(() => seats(1200, 0)).toThrow(/quantity must be a positive integer/);
    expect(() => seats(-1, 1)).toThrow(/must not be negative/);
    expect(() => subscriptionLine({ priceId: 'x', description: 'x', unitAmount: usd(1), quantity: 1, period: { start: 5, end: 5 } })).toThrow(/must end after it starts/);
  });
});

describe('computeInvoiceTotals', () => {
  it('sums lines, applies credit, reports due and paid', () => {
    const totals = computeInvoiceTotals({
      currency: 'usd',
      lines: [seats(1000, 3), oneTimeLine({ description: 'Setup', unitAmount: usd(500), quantity: 1 }), proration(-700)],
      startingCredit: usd(300),
      amountPaid: usd(1000),
    });
    expect(totals).toMatchObject({
      currency: 'USD',
      subtotal: usd(2800),
      total: usd(2800),
      creditApplied: usd(300),
      creditGenerated: usd(0),
      endingCredit: usd(0),
      amountDue: usd(2500),
      amountPaid: usd(1000),
      amountRemaining: usd(1500),
    });
  });

  it('uses only the credit it needs; the rest carries over', () => {
    const totals = computeInvoiceTotals({ currency: 'USD', lines: [seats(1000, 1)], startingCredit: usd(2500) });
    expect(totals.creditApplied).toEqual(usd(1000));
    expect(totals.amountDue).toEqual(usd(0));
    expect(totals.endingCredit).toEqual(usd(1500));
  });

  it('never goes negative: credits beyond the charges go to the balance', () => {
    const totals = computeInvoiceTotals({ currency: 'USD', lines: [proration(-2000), proration(1000)], startingCredit: usd(100) });
    expect(totals.subtotal).toEqual(usd(-1000));
    expect(totals.total).toEqual(usd(0));
    expect(totals.creditGenerated).toEqual(usd(1000));
    expect(totals.creditApplied).toEqual(usd(0));
    expect(totals.endingCredit).toEqual(usd(1100));
    expect(totals.amountDue).toEqual(usd(0));
  });

  it('takes discount and tax lines from the coupon and tax modules', () => {
    const totals = computeInvoiceTotals({ currency: 'USD', lines: [seats(1000, 2)], discounts: [discount(500)], taxes: [tax(300), tax(120, true)] });
    expect(totals.discountTotal).toEqual(usd(500));
    expect(totals.taxTotal).toEqual(usd(420));
    expect(totals.exclusiveTaxTotal).toEqual(usd(300));
    expect(totals.total).toEqual(usd(1800)); // 2000 − 500 + 300; inclusive tax is already inside the lines
    expect(computeInvoiceTotals({ currency: 'USD', lines: [] }).total).toEqual(usd(0));
  });

  it('enforces one currency everywhere', () => {
    const eurLine = oneTimeLine({ description: 'x', unitAmount: money(100, 'EUR'), quantity: 1 });
    expect(() => computeInvoiceTotals({ currency: 'USD', lines: [eurLine] })).toThrow(CurrencyMismatchError);
    expect(() => computeInvoiceTotals({ currency: 'USD', lines: [], startingCredit: money(1, 'EUR') })).toThrow(CurrencyMismatchError);
    expect(() => computeInvoiceTotals({ currency: 'USD', lines: [seats(100, 1)], discounts: [{ ...discount(1), amount: money(1, 'JPY') }] })).toThrow(CurrencyMismatchError);
    expect(() => computeInvoiceTotals({ currency: 'USD', lines: [seats(100, 1)], taxes: [{ ...tax(1), amount: money(1, 'GBP') }] })).toThrow(CurrencyMismatchError);
    expect(() => computeInvoiceTotals({ currency: 'USD', lines: [seats(100, 1)], amountPaid: money(1, 'EUR') })).toThrow(CurrencyMismatchError);
  });

  it('rejects inconsistent input', () => {
    const bad = (lines: InvoiceLine[], extra: object = {}) => () => computeInvoiceTotals({ currency: 'USD', lines, ...extra });
    expect(bad([{ ...seats(100, 1), amount: usd(-100) }])).toThrow(/must not be negative/);
    expect(bad([{ ...proration(-100), direction: 'charge' }])).toThrow(/wrong sign/);
    expect(bad([{ ...seats(100, 1), amount: { amount: 1.5, currency: 'USD' } }])).toThrow(BillingInputError);
    expect(bad([seats(100, 1)], { discounts: [discount(101)] })).toThrow(/exceed the charges they reduce \(100\)/);
    expect(bad([proration(-50)], { discounts: [discount(1)] })).toThrow(/exceed the charges/);
    expect(bad([seats(100, 1)], { discounts: [discount(-1)] })).toThrow(/must not be negative/);
    expect(bad([seats(100, 1)], { taxes: [tax(-1)] })).toThrow(/must not be negative/);
    expect(bad([seats(100, 1)], { startingCredit: usd(-1) })).toThrow(/starting credit must not be negative/);
    expect(bad([seats(100, 1)], { amountPaid: usd(101) })).toThrow(/exceeds the amount due/);
    expect(() => computeInvoiceTotals({ currency: 'dollars', lines: [] })).toThrow(/ISO 4217/);
  });

  it('property: totals are never negative and every minor unit is accounted for', () => {
    const lineArb = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 50 })).map(([u, q]) => seats(u, q) as InvoiceLine),
      fc.integer({ min: -1_000_000, max: 1_000_000 }).map((a) => proration(a) as InvoiceLine),
    );
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 8 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 100 }), (lines, credit, discountPct) => {
        const subtotal = lines.reduce((acc, l) => acc + l.amount.amount, 0);
        const discountAmount = Math.floor((Math.max(0, subtotal) * discountPct) / 100);
        const t = computeInvoiceTotals({ currency: 'USD', lines, startingCredit: usd(credit), discounts: discountAmount ? [discount(discountAmount)] : [] });
        for (const value of [t.total, t.amountDue, t.creditApplied, t.creditGenerated, t.endingCredit]) expect(value.amount).toBeGreaterThanOrEqual(0);
        expect(t.total.amount - t.creditGenerated.amount).toBe(subtotal - discountAmount);
        expect(t.amountDue.amount + t.creditApplied.amount).toBe(t.total.amount);
        expect(t.endingCredit.amount).toBe(credit - t.creditApplied.amount + t.creditGenerated.amount);
        expect(t.creditApplied.amount).toBeLessThanOrEqual(credit);
        expect(t.amountDue.amount === 0 || t.creditApplied.amount === credit).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
