import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BillingInputError } from './errors';
import { usageAmount, type UsagePrice, type UsageTier } from './usage-pricing';

// Up to 1,000 units at $0.10, up to 10,000 at $0.08 plus a $5.00 step, then $0.05.
const tiers: UsageTier[] = [
  { upTo: 1000, unitAmount: 10, flatAmount: 0 },
  { upTo: 10_000, unitAmount: 8, flatAmount: 500 },
  { upTo: null, unitAmount: 5, flatAmount: 0 },
];
const graduated: UsagePrice = { model: 'graduated', currency: 'USD', tiers };
const volume: UsagePrice = { model: 'volume', currency: 'USD', tiers };
const amount = (price: UsagePrice, quantity: number) => usageAmount(price, quantity).amount;

describe('usage pricing: worked examples at and around the tier boundaries', () => {
  it.each([
    [0, 0],
    [1, 10],
    [1000, 10_000],
    // The first unit of tier 2 brings its $5.00 step.
    [1001, 10_000 + 8 + 500],
    [10_000, 10_000 + 9000 * 8 + 500],
    [10_001, 10_000 + 9000 * 8 + 500 + 5],
  ])('graduated: %i units cost %i', (quantity, expected) => expect(amount(graduated, quantity)).toBe(expected));

  it.each([
    [0, 0],
    [1000, 1000 * 10],
    // Past a boundary the cheaper tier prices every unit.
    [1001, 1001 * 8 + 500],
    [10_000, 10_000 * 8 + 500],
    [10_001, 10_001 * 5],
  ])('volume: %i units cost %i', (quantity, expected) => expect(amount(volume, quantity)).toBe(expected));

  it('per unit and package (rounded up to whole packages)', () => {
    expect(amount({ model: 'per_unit', currency: 'EUR', unitAmount: 3 }, 7)).toBe(21);
    const packages: UsagePrice = { model: 'package', currency: 'USD', unitAmount: 200, packageSize: 1000 };
    expect([0, 1, 1000, 1001, 2000].map((q) => amount(packages, q))).toEqual([0, 200, 200, 400, 400]);
  });
});

describe('usage pricing: properties', () => {
  const tierSets = fc
    .array(fc.record({ width: fc.integer({ min: 1, max: 500 }), unitAmount: fc.integer({ min: 0, max: 1000 }), flatAmount: fc.integer({ min: 0, max: 5000 }) }), { minLength: 1, maxLength: 5 })
    .map((raw) => {
      let bound = 0;
      return raw.map((t, i) => ({ upTo: i === raw.length - 1 ? null : (bound += t.width), unitAmount: t.unitAmount, flatAmount: t.flatAmount }));
    });

  it('graduated pricing never costs less for more usage', () => {
    fc.assert(
      fc.property(tierSets, fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 500 }), (set, q, more) => {
        const price: UsagePrice = { model: 'graduated', currency: 'USD', tiers: set };
        expect(amount(price, q + more)).toBeGreaterThanOrEqual(amount(price, q));
      }),
    );
  });

  it('graduated pricing is the sum of each tier priced on its own units', () => {
    fc.assert(
      fc.property(tierSets, fc.integer({ min: 1, max: 5000 }), (set, q) => {
        let floor = 0;
        let expected = 0;
        for (const tier of set) {
          const units = Math.max(0, Math.min(q, tier.upTo ?? Infinity) - floor);
          if (units > 0) expected += units * tier.unitAmount + tier.flatAmount;
          floor = tier.upTo ?? floor;
        }
        expect(amount({ model: 'graduated', currency: 'USD', tiers: set }, q)).toBe(expected);
      }),
    );
  });

  it('volume pricing prices every unit at the tier the quantity falls in', () => {
    fc.assert(
      fc.property(tierSets, fc.integer({ min: 1, max: 5000 }), (set, q) => {
        const tier = set.find((t) => t.upTo === null || q <= t.upTo)!;
        expect(amount({ model: 'volume', currency: 'USD', tiers: set }, q)).toBe(q * tier.unitAmount + tier.flatAmount);
      }),
    );
  });
});

describe('usage pricing: bad input', () => {
  it.each([
    ['a negative quantity', graduated, -1],
    ['a fractional quantity', graduated, 1.5],
    ['no tiers', { model: 'graduated', currency: 'USD', tiers: [] } as UsagePrice, 1],
    ['a closed last tier', { model: 'volume', currency: 'USD', tiers: [{ upTo: 10, unitAmount: 1, flatAmount: 0 }] } as UsagePrice, 1],
    ['bounds out of order', { model: 'graduated', currency: 'USD', tiers: [{ upTo: 10, unitAmount: 1, flatAmount: 0 }, { upTo: 5, unitAmount: 1, flatAmount: 0 }, { upTo: null, unitAmount: 1, flatAmount: 0 }] } as UsagePrice, 1],
    ['a negative tier amount', { model: 'graduated', currency: 'USD', tiers: [{ upTo: null, unitAmount: -1, flatAmount: 0 }] } as UsagePrice, 1],
    ['a zero package size', { model: 'package', currency: 'USD', unitAmount: 100, packageSize: 0 } as UsagePrice, 1],
    ['an unknown currency', { model: 'per_unit', currency: 'usd!', unitAmount: 1 } as UsagePrice, 1],
  ])('%s is refused', (_label, price, quantity) => {
    expect(() => usageAmount(price, quantity)).toThrow(BillingInputError);
  });
});
