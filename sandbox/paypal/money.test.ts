import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor, parseMoney, paypalFee } from './money';

describe('PayPal money', () => {
  it('parses decimal strings into minor units exactly', () => {
    expect(parseMoney({ currency_code: 'USD', value: '10.00' })).toEqual({ ok: true, minor: 1000 });
    expect(parseMoney({ currency_code: 'USD', value: '0.1' })).toEqual({ ok: true, minor: 10 });
    expect(parseMoney({ currency_code: 'USD', value: '.05' })).toEqual({ ok: true, minor: 5 });
    expect(parseMoney({ currency_code: 'USD', value: '19.990' })).toEqual({ ok: true, minor: 1999 });
    expect(parseMoney({ currency_code: 'JPY', value: '1500' })).toEqual({ ok: true, minor: 1500 });
    expect(parseMoney({ currency_code: 'USD', value: '-2.50' })).toEqual({ ok: true, minor: -250 });
  });

  it('rejects what PayPal rejects', () => {
    expect(parseMoney({ currency_code: 'USD', value: '10.001' })).toEqual({ ok: false, issue: 'DECIMAL_PRECISION' });
    expect(parseMoney({ currency_code: 'JPY', value: '10.5' })).toEqual({ ok: false, issue: 'DECIMALS_NOT_SUPPORTED' });
    expect(parseMoney({ currency_code: 'XYZ', value: '1' })).toEqual({ ok: false, issue: 'INVALID_CURRENCY_CODE' });
    expect(parseMoney({ currency_code: 'USD', value: '1e3' })).toEqual({ ok: false, issue: 'INVALID_PARAMETER_SYNTAX' });
    expect(parseMoney({ currency_code: 'USD', value: '' })).toEqual({ ok: false, issue: 'INVALID_PARAMETER_SYNTAX' });
  });

  it('formats minor units for two- and zero-decimal currencies', () => {
    expect(formatMinor(1000, 'USD')).toBe('10.00');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(0, 'USD')).toBe('0.00');
    expect(formatMinor(-250, 'USD')).toBe('-2.50');
    expect(formatMinor(1500, 'JPY')).toBe('1500');
    expect(formatMinor(7, 'HUF')).toBe('7');
  });

  it('round-trips every amount (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'EUR', 'TWD'), (minor, currency) => {
        const parsed = parseMoney({ currency_code: currency, value: formatMinor(minor, currency) });
        expect(parsed).toEqual({ ok: true, minor });
      }),
    );
  });

  it('computes a fee no larger than the gross, in integers', () => {
    expect(paypalFee(1000, 'USD')).toBe(35 + 49);
    expect(paypalFee(10, 'USD')).toBe(10);
    expect(paypalFee(1000, 'JPY')).toBe(35);
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e10 }), (g) => Number.isInteger(paypalFee(g, 'USD')) && paypalFee(g, 'USD') <= g));
  });
});
