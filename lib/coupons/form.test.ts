import { describe, expect, it } from 'vitest';
import { parseCouponForm } from './form';

const now = new Date('2027-01-10T12:00:00Z');
const base = { code: 'spring-25', name: 'Spring sale', discountKind: 'percent', percentOff: '25', duration: 'once' };

describe('parseCouponForm', () => {
  it('reads a percentage coupon with no limits', () => {
    expect(parseCouponForm(base, { USD: '', EUR: '' }, [], now)).toEqual({
      ok: true,
      coupon: { code: 'spring-25', name: 'Spring sale', discount: { kind: 'percent', percentOff: '25' }, duration: 'once', durationInPeriods: null, redeemBy: null, maxRedemptions: null, maxRedemptionsPerCustomer: null, productIds: null, firstTimeOnly: false },
    });
  });

  it('reads fixed amounts per currency in major units, limits, plans, an end date and first-time only', () => {
    const result = parseCouponForm(
      { ...base, discountKind: 'fixed', duration: 'repeating', durationInPeriods: '3', redeemBy: '2027-03-31', maxRedemptions: '100', maxRedemptionsPerCustomer: '1', firstTimeOnly: 'on' },
      { USD: '10.00', EUR: '9', JPY: '' },
      ['p1', 'p2'],
      now,
    );
    expect(result).toMatchObject({
      ok: true,
      coupon: { discount: { kind: 'fixed', amountsOff: { USD: 1000, EUR: 900 } }, duration: 'repeating', durationInPeriods: 3, redeemBy: new Date('2027-04-01T00:00:00Z'), maxRedemptions: 100, maxRedemptionsPerCustomer: 1, productIds: ['p1', 'p2'], firstTimeOnly: true },
    });
  });

  it.each([
    ['a percentage over 100', { percentOff: '101' }, 'percentOff'],
    ['a percentage of 0', { percentOff: '0' }, 'percentOff'],
    ['three decimals', { percentOff: '12.345' }, 'percentOff'],
    ['a repeating coupon without periods', { duration: 'repeating' }, 'durationInPeriods'],
    ['periods of 0', { duration: 'repeating', durationInPeriods: '0' }, 'durationInPeriods'],
    ['a date in the past', { redeemBy: '2027-01-09' }, 'redeemBy'],
    ['a date that does not exist', { redeemBy: '2027-02-30' }, 'redeemBy'],
    ['a fractional limit', { maxRedemptions: '1.5' }, 'maxRedemptions'],
    ['a negative per-customer limit', { maxRedemptionsPerCustomer: '-1' }, 'maxRedemptionsPerCustomer'],
    ['a code with a space', { code: 'two words' }, 'code'],
    ['no name', { name: '  ' }, 'name'],
    ['an unknown duration', { duration: 'sometimes' }, 'duration'],
  ])('refuses %s, naming the field', (_what, change, field) => {
    const result = parseCouponForm({ ...base, ...change }, {}, [], now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toContain(field);
  });

  it('refuses a fixed coupon with no amount, or a bad one', () => {
    expect(parseCouponForm({ ...base, discountKind: 'fixed' }, { USD: '', EUR: '' }, [], now)).toEqual({ ok: false, errors: { amountsOff: 'Enter the amount off in at least one currency.' } });
    expect(parseCouponForm({ ...base, discountKind: 'fixed' }, { USD: '10.005' }, [], now)).toMatchObject({ ok: false, errors: { amountsOff: expect.stringMatching(/USD/) } });
    expect(parseCouponForm({ ...base, discountKind: 'fixed' }, { JPY: '10.5' }, [], now)).toMatchObject({ ok: false, errors: { amountsOff: expect.stringMatching(/no decimals/) } });
    expect(parseCouponForm({ ...base, discountKind: 'fixed' }, { USD: '0' }, [], now)).toMatchObject({ ok: false });
  });
});
