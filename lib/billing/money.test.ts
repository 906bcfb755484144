import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmountOverflowError, BillingInputError, CurrencyMismatchError } from './errors';
import {
  add,
  allocate,
  compare,
  divideRoundHalfEven,
  formatMoney,
  minorUnitDigits,
  money,
  multiplyByQuantity,
  negate,
  prorate,
  subtract,
  sum,
  zero,
} from './money';

const usd = (amount: number) => money(amount, 'USD');
const amounts = fc.integer({ min: -1e12, max: 1e12 });
/** [numerator, denominator] with 0 ≤ numerator ≤ denominator, up to about a year in seconds. */
const fractionSeconds = fc
  .integer({ min: 1, max: 40_000_000 })
  .chain((den) => fc.tuple(fc.integer({ min: 0, max: den }), fc.constant(den)));

describe('money()', () => {
  it('normalizes the currency and keeps the integer amount', () => {
    expect(money(1999, 'usd')).toEqual({ amount: 1999, currency: 'USD' });
    expect(Object.is(money(-0, 'EUR').amount, 0)).toBe(true);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects the amount %s', (amount) => {
    expect(() => money(amount, 'USD')).toThrow(BillingInputError);
  });

  it.each(['US', 'US D', '', 'usdollar', '123'])('rejects the currency "%s"', (currency) => {
    expect(() => money(1, currency)).toThrow(/ISO 4217/);
  });

  it('knows minor-unit digits through lib/money and formats', () => {
    expect(minorUnitDigits('jpy')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
    expect(formatMoney(usd(1999))).toBe('$19.99');
    expect(formatMoney(money(500, 'JPY'))).toBe('¥500');
  });
});

describe('add / subtract / sum / compare', () => {
  it('adds and subtracts in one currency', () => {
    expect(add(usd(150), usd(-200))).toEqual(usd(-50));
    expect(subtract(usd(150), usd(200))).toEqual(usd(-50));
    expect(negate(usd(7))).toEqual(usd(-7));
    expect(sum('USD', [usd(1), usd(2), usd(3)])).toEqual(usd(6));
    expect(sum('USD', [])).toEqual(zero('USD'));
    expect(compare(usd(1), usd(2))).toBe(-1);
    expect(compare(usd(2), usd(2))).toBe(0);
  });

  it('throws a typed error on mixed currencies', () => {
    const err = (() => {
      try {
        add(usd(1), money(1, 'EUR'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CurrencyMismatchError);
    expect(err).toBeInstanceOf(BillingInputError);
    expect((err as CurrencyMismatchError).expected).toBe('USD');
    expect((err as CurrencyMismatchError).actual).toBe('EUR');
    expect(() => subtract(usd(1), money(1, 'JPY'))).toThrow(CurrencyMismatchError);
    expect(() => sum('USD', [money(1, 'EUR')])).toThrow(CurrencyMismatchError);
  });

  it('guards overflow', () => {
    expect(() => add(usd(Number.MAX_SAFE_INTEGER), usd(1))).toThrow(AmountOverflowError);
  });
});

describe('multiplyByQuantity', () => {
  it('multiplies a unit price by seats', () => {
    expect(multiplyByQuantity(usd(1200), 12)).toEqual(usd(14400));
    expect(multiplyByQuantity(money(990, 'JPY'), 3)).toEqual(money(2970, 'JPY'));
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects the quantity %s', (quantity) => {
    expect(() => multiplyByQuantity(usd(100), quantity)).toThrow(/quantity must be a positive integer/);
  });

  it('refuses results beyond the safe integer range', () => {
    expect(() => multiplyByQuantity(usd(2 ** 40), 2 ** 14)).toThrow(AmountOverflowError);
    expect(multiplyByQuantity(usd(2 ** 40), 2 ** 12).amount).toBe(2 ** 52);
  });
});

describe('divideRoundHalfEven / prorate', () => {
  it('rounds ties to even and everything else to nearest', () => {
    const cases: Array<[bigint, bigint, bigint]> = [
      [5n, 2n, 2n], // 2.5 -> 2
      [7n, 2n, 4n], // 3.5 -> 4
      [-5n, 2n, -2n],
      [-7n, 2n, -4n],
      [10n, 4n, 2n], // 2.5 -> 2
      [11n, 4n, 3n], // 2.75 -> 3
      [9n, 4n, 2n], // 2.25 -> 2
      [0n, 7n, 0n],
    ];
    for (const [n, d, expected] of cases) expect(divideRoundHalfEven(n, d)).toBe(expected);
  });

  it('prorates by the second', () => {
    // 10.00 for 30 days, 15 days left: exactly half.
    expect(prorate(usd(1000), 15 * 86_400, 30 * 86_400)).toEqual(usd(500));
    // 10.00 × 17/31 = 548.387... -> 548
    expect(prorate(usd(1000), 17, 31)).toEqual(usd(548));
    // 0.05 × 1/2 = 2.5 -> 2 (even); 0.07 × 1/2 = 3.5 -> 4 (even)
    expect(prorate(usd(5), 1, 2)).toEqual(usd(2));
    expect(prorate(usd(7), 1, 2)).toEqual(usd(4));
    expect(prorate(usd(-5), 1, 2)).toEqual(usd(-2));
    expect(prorate(money(1000, 'JPY'), 0, 10)).toEqual(money(0, 'JPY'));
    expect(prorate(money(1000, 'JPY'), 10, 10)).toEqual(money(1000, 'JPY'));
  });

  it('rejects fractions outside [0, 1] and non-integer seconds', () => {
    expect(() => prorate(usd(100), 11, 10)).toThrow(BillingInputError);
    expect(() => prorate(usd(100), -1, 10)).toThrow(BillingInputError);
    expect(() => prorate(usd(100), 1, 0)).toThrow(/denominatorSeconds must be positive/);
    expect(() => prorate(usd(100), 0.5, 10)).toThrow(/numeratorSeconds must be a safe integer/);
  });

  it('is exact for amounts where a float product would lose precision', () => {
    // 9007199254740991 × 3 / 7 overflows a double's exact range before dividing.
    const big = usd(Number.MAX_SAFE_INTEGER);
    const expected = divideRoundHalfEven(BigInt(Number.MAX_SAFE_INTEGER) * 3n, 7n);
    expect(prorate(big, 3, 7).amount).toBe(Number(expected));
  });

  it('property: within half a minor unit of the exact value, sign-symmetric and monotone', () => {
    fc.assert(
      fc.property(amounts, fractionSeconds, (amount, [num, den]) => {
        const result = prorate(usd(amount), num, den).amount;
        // |result × den − amount × num| ≤ den / 2, checked in BigInt.
        const error = BigInt(result) * BigInt(den) - BigInt(amount) * BigInt(num);
        expect((error < 0n ? -error : error) * 2n <= BigInt(den)).toBe(true);
        expect(prorate(usd(-amount), num, den).amount).toBe(-result || 0);
        expect(prorate(usd(amount + 1), num, den).amount).toBeGreaterThanOrEqual(result);
      }),
      { numRuns: 300 },
    );
  });
});

describe('allocate', () => {
  it('splits by largest remainder', () => {
    expect(allocate(usd(100), [1, 1, 1]).map((m) => m.amount)).toEqual([34, 33, 33]);
    expect(allocate(usd(-100), [1, 1, 1]).map((m) => m.amount)).toEqual([-34, -33, -33]);
    expect(allocate(usd(5), [3, 7]).map((m) => m.amount)).toEqual([2, 3]); // 1.5 / 3.5: tie -> first
    expect(allocate(usd(10), [0, 1, 0]).map((m) => m.amount)).toEqual([0, 10, 0]);
    expect(allocate(money(1001, 'JPY'), [2, 1]).map((m) => m.amount)).toEqual([667, 334]);
    expect(allocate(usd(0), [1, 2])).toEqual([usd(0), usd(0)]);
  });

  it('rejects empty, negative, fractional or all-zero weights', () => {
    expect(() => allocate(usd(1), [])).toThrow(BillingInputError);
    expect(() => allocate(usd(1), [1, -1])).toThrow(/non-negative integers/);
    expect(() => allocate(usd(1), [0.5])).toThrow(/non-negative integers/);
    expect(() => allocate(usd(1), [0, 0])).toThrow(/positive weight/);
  });

  it('property: parts sum back exactly, keep the currency, and each is within one unit of its exact share', () => {
    fc.assert(
      fc.property(amounts, fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }), (total, rawWeights) => {
        const weights = rawWeights.some((w) => w > 0) ? rawWeights : [...rawWeights, 1];
        const parts = allocate(money(total, 'KWD'), weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((acc, p) => acc + BigInt(p.amount), 0n)).toBe(BigInt(total));
        const weightSum = weights.reduce((a, b) => a + BigInt(b), 0n);
        parts.forEach((part, i) => {
          expect(part.currency).toBe('KWD');
          const diff = BigInt(part.amount) * weightSum - BigInt(total) * BigInt(weights[i]);
          expect((diff < 0n ? -diff : diff) < weightSum).toBe(true);
          if (weights[i] === 0) expect(part.amount).toBe(0);
        });
      }),
      { numRuns: 300 },
    );
  });
});
