import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, fromMajorUnitString, toMajorUnitString } from './money';

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

describe('fromMajorUnitString', () => {
  it('parses provider decimal strings exactly', () => {
    expect(fromMajorUnitString('19.99', 'USD')).toBe(1999);
    expect(fromMajorUnitString('10', 'EUR')).toBe(1000);
    expect(fromMajorUnitString('0.5', 'EUR')).toBe(50);
    expect(fromMajorUnitString('500', 'JPY')).toBe(500);
    expect(fromMajorUnitString('1.234', 'KWD')).toBe(1234);
  });
  it('refuses more decimals than the currency has, and non-numbers', () => {
    expect(() => fromMajorUnitString('1.999', 'USD')).toThrow(RangeError);
    expect(() => fromMajorUnitString('5.5', 'JPY')).toThrow(RangeError);
    expect(() => fromMajorUnitString('1e3', 'USD')).toThrow(RangeError);
  });
  it('inverts toMajorUnitString', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'KWD'), (a, c) => fromMajorUnitString(toMajorUnitString(a, c), c) === a));
  });
});
