import { describe, expect, it } from 'vitest';
import type { CouponDefinition } from '@/lib/billing';
import type { TaxContext } from '@/lib/tax';
import { testCoupon } from '@/test/coupons';
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
    const q = quoteCheckout({ price: monthly(900), product: { id: 'prod_1', name: 'Starter', trialDays: 0 }, quantity: 1, now: at('2026-01-31T10:00:00Z'), tax: null });
    expect(q.kind).toBe('payment');
    expect(q.dueToday).toEqual({ amount: 900, currency: 'USD' });
    expect(q.tax.amount).toBe(0);
    expect(q.subscription).toMatchObject({ status: 'active', trialEnd: null, anchor: at('2026-01-31T10:00:00Z') });
    expect(q.subscription!.currentPeriod).toEqual({ start: at('2026-01-31T10:00:00Z'), end: at('2026-02-28T10:00:00Z') });
    expect(q.subscription!.nextChargeAt).toBe(at('2026-02-28T10:00:00Z'));
  });

  it('multiplies a per-seat price by the seats', () => {
    const q = quoteCheckout({ price: monthly(1200), product: { id: 'prod_1', name: 'Team', trialDays: 0 }, quantity: 7, now: at('2026-03-01T00:00:00Z'), tax: null });
    expect(q.subtotal.amount).toBe(8400);
    expect(q.total.amount).toBe(8400);
    expect(q.dueToday.amount).toBe(8400);
  });

  it('charges nothing today during a trial: a setup, the first charge at the trial end, which anchors the cycle', () => {
    const now = at('2026-01-20T12:00:00Z');
    const q = quoteCheckout({ price: monthly(2900), product: { id: 'prod_1', name: 'Pro', trialDays: 14 }, quantity: 1, now, tax: null });
    expect(q.kind).toBe('setup');
    expect(q.dueToday).toEqual({ amount: 0, currency: 'USD' });
    expect(q.total.amount).toBe(2900);
    expect(q.subscription).toMatchObject({ status: 'trialing', trialEnd: at('2026-02-03T12:00:00Z'), anchor: at('2026-02-03T12:00:00Z') });
    expect(q.subscription!.currentPeriod).toEqual({ start: now, end: at('2026-02-03T12:00:00Z') });
    expect(q.subscription!.nextChargeAt).toBe(at('2026-02-03T12:00:00Z'));
    expect(q.subscription!.nextChargeAmount.amount).toBe(2900);
  });

  it('bills a yearly plan started on Feb 29 again on Feb 28 of the next year', () => {
    const q = quoteCheckout({ price: monthly(29000, { interval: 'year' }), product: { id: 'prod_1', name: 'Pro', trialDays: 0 }, quantity: 1, now: at('2028-02-29T08:00:00Z'), tax: null });
    expect(q.subscription!.nextChargeAt).toBe(at('2029-02-28T08:00:00Z'));
  });

  it('quotes a one-time product with no subscription', () => {
    const price: QuotablePrice = { id: 'price_o', currency: 'EUR', unitAmount: 45900, type: 'one_time', interval: null, intervalCount: null, pricingModel: 'per_unit', taxBehavior: 'exclusive' };
    const q = quoteCheckout({ price, product: { id: 'prod_1', name: 'Onboarding', trialDays: 0 }, quantity: 1, now: at('2026-05-05T00:00:00Z'), tax: null });
    expect(q).toMatchObject({ kind: 'payment', currency: 'EUR', subscription: null });
    expect(q.dueToday.amount).toBe(45900);
  });

  it('keeps a flat price flat whatever the quantity, and zero-decimal currencies whole', () => {
    const flat = quoteCheckout({ price: monthly(5000, { pricingModel: 'flat' }), product: { id: 'prod_1', name: 'Flat', trialDays: 0 }, quantity: 3, now: at('2026-01-01T00:00:00Z'), tax: null });
    expect(flat.dueToday.amount).toBe(5000);
    const yen = quoteCheckout({ price: monthly(1500, { currency: 'JPY' }), product: { id: 'prod_1', name: 'Yen', trialDays: 0 }, quantity: 2, now: at('2026-01-01T00:00:00Z'), tax: null });
    expect(yen.dueToday).toEqual({ amount: 3000, currency: 'JPY' });
  });

  it('refuses a quantity below 1', () => {
    expect(() => quoteCheckout({ price: monthly(900), product: { id: 'prod_1', name: 'Starter', trialDays: 0 }, quantity: 0, now: 0, tax: null })).toThrow();
  });

  describe('with a coupon', () => {
    const coupon = (extra: Partial<CouponDefinition> = {}) => testCoupon({ id: 'c1', code: 'SAVE20', ...extra });
    const now = at('2026-03-01T00:00:00Z');
    const starter = { id: 'prod_1', name: 'Starter', trialDays: 0 };
    const germany: TaxContext = {
      customer: { address: { country: 'DE', region: null, postalCode: '10115' }, vatId: null },
      seller: { country: 'DE', registrations: ['DE'] },
      rates: [{ id: 'DE-vat-2021-01-01', country: 'DE', region: null, type: 'vat', jurisdiction: 'Germany', percentage: '19', validFrom: 0 }],
    };

    it('takes a once coupon off today only: the next charge is the full price', () => {
      const q = quoteCheckout({ price: monthly(1000), product: starter, quantity: 1, now, tax: null, coupon: coupon() });
      expect(q.discount).toMatchObject({ kind: 'discount', couponId: 'c1', description: 'Launch offer (20% off)', amount: { amount: 200, currency: 'USD' } });
      expect(q.subtotal.amount).toBe(1000);
      expect(q.dueToday.amount).toBe(800);
      expect(q.subscription!.nextChargeAmount.amount).toBe(1000);
    });

    it('keeps a repeating or forever coupon on the next charge too', () => {
      for (const extra of [{ duration: 'repeating' as const, durationInPeriods: 3 }, { duration: 'forever' as const }]) {
        const q = quoteCheckout({ price: monthly(1000), product: starter, quantity: 1, now, tax: null, coupon: coupon(extra) });
        expect(q.subscription!.nextChargeAmount.amount).toBe(800);
      }
      const single = quoteCheckout({ price: monthly(1000), product: starter, quantity: 1, now, tax: null, coupon: coupon({ duration: 'repeating', durationInPeriods: 1 }) });
      expect(single.subscription!.nextChargeAmount.amount).toBe(1000);
    });

    it('discounts the first paid invoice of a trial, at its end', () => {
      const q = quoteCheckout({ price: monthly(1000), product: { ...starter, trialDays: 14 }, quantity: 1, now, tax: null, coupon: coupon() });
      expect(q.kind).toBe('setup');
      expect(q.dueToday.amount).toBe(0);
      expect(q.total.amount).toBe(800);
      expect(q.subscription!.nextChargeAmount.amount).toBe(800);
    });

    it('taxes the discounted amount', () => {
      const q = quoteCheckout({ price: monthly(1000), product: starter, quantity: 1, now, tax: germany, coupon: coupon() });
      expect(q.tax.amount).toBe(152);
      expect(q.dueToday.amount).toBe(952);
    });

    it('caps a fixed amount at the price, and a free first period saves the card without a charge', () => {
      const q = quoteCheckout({ price: monthly(1000), product: starter, quantity: 1, now, tax: null, coupon: coupon({ discount: { kind: 'fixed', amountsOff: { USD: 5000 } } }) });
      expect(q.discount!.amount.amount).toBe(1000);
      expect(q.kind).toBe('setup');
      expect(q.subscription).toMatchObject({ status: 'active', trialEnd: null });
      expect(q.subscription!.nextChargeAmount.amount).toBe(1000);
    });

    it('refuses a coupon that makes a one-time purchase free', () => {
      const price: QuotablePrice = { id: 'price_o', currency: 'USD', unitAmount: 1000, type: 'one_time', interval: null, intervalCount: null, pricingModel: 'per_unit', taxBehavior: 'exclusive' };
      expect(() => quoteCheckout({ price, product: starter, quantity: 1, now, tax: null, coupon: coupon({ discount: { kind: 'percent', percentOff: '100' } }) })).toThrow(/free/);
      expect(quoteCheckout({ price, product: starter, quantity: 1, now, tax: null, coupon: coupon() }).dueToday.amount).toBe(800);
    });
  });
});
