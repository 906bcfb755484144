import { describe, expect, it } from 'vitest';
import { BillingInputError } from './errors';
import { money } from './money';
import { assertRecurringPrice, cycleFor, itemLabel, periodAmount, type RecurringPrice } from './price';

const pro: RecurringPrice = { id: 'pro_month_usd', name: 'Pro', currency: 'usd', unitAmount: 1200, interval: 'month', intervalCount: 1 };

describe('periodAmount', () => {
  it('charges unit × quantity for per_unit (the catalog default) and the flat amount for flat', () => {
    expect(periodAmount({ price: pro, quantity: 7 })).toEqual(money(8400, 'USD'));
    expect(periodAmount({ price: { ...pro, pricingModel: 'per_unit' }, quantity: 1 })).toEqual(money(1200, 'USD'));
    expect(periodAmount({ price: { ...pro, pricingModel: 'flat', unitAmount: 5000 }, quantity: 9 })).toEqual(money(5000, 'USD'));
  });

  it('leaves tiered and package models to usage pricing', () => {
    for (const pricingModel of ['package', 'graduated', 'volume'] as const) {
      expect(() => periodAmount({ price: { ...pro, pricingModel }, quantity: 1 })).toThrow(/usage pricing/);
    }
  });

  it('rejects bad prices and quantities', () => {
    expect(() => periodAmount({ price: pro, quantity: 0 })).toThrow(/quantity must be a positive integer/);
    expect(() => periodAmount({ price: pro, quantity: 2.5 })).toThrow(BillingInputError);
    expect(() => assertRecurringPrice({ ...pro, unitAmount: -1 })).toThrow(/non-negative integer/);
    expect(() => assertRecurringPrice({ ...pro, unitAmount: 12.5 })).toThrow(/non-negative integer/);
    expect(() => assertRecurringPrice({ ...pro, id: '' })).toThrow(/price id is required/);
    expect(() => assertRecurringPrice({ ...pro, currency: 'dollars' })).toThrow(/ISO 4217/);
    expect(() => assertRecurringPrice({ ...pro, intervalCount: 0 })).toThrow(/intervalCount/);
    expect(() => periodAmount({ price: { ...pro, unitAmount: 2 ** 52 }, quantity: 4 })).toThrow(/safe integer range/);
  });
});

describe('cycleFor / itemLabel', () => {
  it('builds the cycle a price defines from an anchor', () => {
    expect(cycleFor({ ...pro, interval: 'quarter', intervalCount: 2 }, 1_000)).toEqual({ anchor: 1_000, interval: 'quarter', intervalCount: 2 });
    expect(() => cycleFor(pro, -1)).toThrow(/anchor/);
  });

  it('labels items for line descriptions', () => {
    expect(itemLabel({ price: pro, quantity: 1 })).toBe('Pro');
    expect(itemLabel({ price: pro, quantity: 4 })).toBe('4 × Pro');
    expect(itemLabel({ price: { ...pro, name: undefined }, quantity: 2 })).toBe('2 × pro_month_usd');
  });
});
