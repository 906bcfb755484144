import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, toMajorUnitString } from './money';

describe('money', () => {
  it('knows zero- and three-decimal currencies', () => {
    expect(currencyExponent('usd')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('writes minor units as exact decimal strings', () => {
    expect(toMajorUnitString(1999, 'USD')).toBe('19.99');
    expect(toMajorUnitString(5, 'EUR')).toBe('0.05');
    expect(toMajorUnitString(-5, 'EUR')).toBe('-0.05');
    expect(toMajorUnitString(500, 'JPY')).toBe('500');
    expect(toMajorUnitString(1234, 'KWD')).toBe('1.234');
    expect(() => toMajorUnitString(1.5, 'USD')).toThrow(RangeError);
  });

  it('round-trips every amount through its decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'KWD'), (amount, currency) => {
        const digits = toMajorUnitString(amount, currency).replace('.', '');
        expect(BigInt(digits)).toBe(BigInt(amount));
      }),
    );
  });

  it('formats for display', () => {
    expect(formatMoney(1999, 'USD')).toBe('$19.99');
    expect(formatMoney(500, 'JPY')).toBe('¥500');
    expect(formatMoney(2700, 'EUR', 'en-US')).toBe('€27.00');
  });
});
