import { describe, expect, it } from 'vitest';
import { quoteCheckout, type QuotablePrice } from './quote';

const at = (iso: string) => Date.parse(iso);
const monthly = (unitAmount: number, extra: Partial<QuotablePrice> = {}): QuotablePrice => ({
  id: 'price_m',
  currency: 'USD',
  unitAmount,
  type: 'recurring',
  interval: 'month',
  intervalCount: 1,
  pricingModel: 'per_unit',
  taxBehavior: 'exclusive',
  ...extra,
});

describe('quoteCheckout', () => {
  it('charges a monthly plan in full today, with the next charge one calendar month later (Jan 31 → Feb 28)', () => {
    const q = quoteCheckout({ price: monthly(900), product: { name: 'Starter', trialDays: 0 }, quantity: 1, now: at('2026-01-31T10:00:00Z'), tax: null });
    expect(q.kind).toBe('payment');
    expect(q.dueToday).toEqual({ amount: 900, currency: 'USD' });
    expect(q.tax.amount).toBe(0);
    expect(q.subscription).toMatchObject({ status: 'active', trialEnd: null, anchor: at('2026-01-31T10:00:00Z') });
    expect(q.subscription!.currentPeriod).toEqual({ start: at('2026-01-31T10:00:00Z'), end: at('2026-02-28T10:00:00Z') });
    expect(q.subscription!.nextChargeAt).toBe(at('2026-02-28T10:00:00Z'));
  });

  it('multiplies a per-seat price by the seats', () => {
    const q = quoteCheckout({ price: monthly(1200), product: { name: 'Team', trialDays: 0 }, quantity: 7, now: at('2026-03-01T00:00:00Z'), tax: null });
    expect(q.subtotal.amount).toBe(8400);
    expect(q.total.amount).toBe(8400);
    expect(q.dueToday.amount).toBe(8400);
  });

  it('charges nothing today during a trial: a setup, the first charge at the trial end, which anchors the cycle', () => {
    const now = at('2026-01-20T12:00:00Z');
    const q = quoteCheckout({ price: monthly(2900), product: { name: 'Pro', trialDays: 14 }, quantity: 1, now, tax: null });
    expect(q.kind).toBe('setup');
    expect(q.dueToday).toEqual({ amount: 0, currency: 'USD' });
    expect(q.total.amount).toBe(2900);
    expect(q.subscription).toMatchObject({ status: 'trialing', trialEnd: at('2026-02-03T12:00:00Z'), anchor: at('2026-02-03T12:00:00Z') });
    expect(q.subscription!.currentPeriod).toEqual({ start: now, end: at('2026-02-03T12:00:00Z') });
    expect(q.subscription!.nextChargeAt).toBe(at('2026-02-03T12:00:00Z'));
    expect(q.subscription!.nextChargeAmount.amount).toBe(2900);
  });

  it('bills a yearly plan started on Feb 29 again on Feb 28 of the next year', () => {
    const q = quoteCheckout({ price: monthly(29000, { interval: 'year' }), product: { name: 'Pro', trialDays: 0 }, quantity: 1, now: at('2028-02-29T08:00:00Z'), tax: null });
    expect(q.subscription!.nextChargeAt).toBe(at('2029-02-28T08:00:00Z'));
  });

  it('quotes a one-time product with no subscription', () => {
    const price: QuotablePrice = { id: 'price_o', currency: 'EUR', unitAmount: 45900, type: 'one_time', interval: null, intervalCount: null, pricingModel: 'per_unit', taxBehavior: 'exclusive' };
    const q = quoteCheckout({ price, product: { name: 'Onboarding', trialDays: 0 }, quantity: 1, now: at('2026-05-05T00:00:00Z'), tax: null });
    expect(q).toMatchObject({ kind: 'payment', currency: 'EUR', subscription: null });
    expect(q.dueToday.amount).toBe(45900);
  });

  it('keeps a flat price flat whatever the quantity, and zero-decimal currencies whole', () => {
    const flat = quoteCheckout({ price: monthly(5000, { pricingModel: 'flat' }), product: { name: 'Flat', trialDays: 0 }, quantity: 3, now: at('2026-01-01T00:00:00Z'), tax: null });
    expect(flat.dueToday.amount).toBe(5000);
    const yen = quoteCheckout({ price: monthly(1500, { currency: 'JPY' }), product: { name: 'Yen', trialDays: 0 }, quantity: 2, now: at('2026-01-01T00:00:00Z'), tax: null });
    expect(yen.dueToday).toEqual({ amount: 3000, currency: 'JPY' });
  });

  it('refuses a quantity below 1', () => {
    expect(() => quoteCheckout({ price: monthly(900), product: { name: 'Starter', trialDays: 0 }, quantity: 0, now: 0, tax: null })).toThrow();
  });
});
