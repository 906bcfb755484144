import { describe, expect, it } from 'vitest';
import { cadenceLabel, describeAccess, describeDiscount, describeScheduledChange } from './billing-overview';
import type { FeatureAccess } from './subscriptions/entitlements';

const access = (overrides: Partial<FeatureAccess>): FeatureAccess => ({ feature: 'SSO', allowed: true, reason: 'active', subscriptionId: 's', productName: 'Team', pastDueSince: null, graceEndsAt: null, ...overrides });

describe('the billing page texts', () => {
  it('names the cadence', () => {
    expect(cadenceLabel('month', 1)).toBe('monthly');
    expect(cadenceLabel('year', 1)).toBe('yearly');
    expect(cadenceLabel('quarter', 1)).toBe('quarterly');
    expect(cadenceLabel('month', 6)).toBe('every 6 months');
  });

  it('says what a scheduled change changes to and when, with seats only for per-seat plans', () => {
    const effectiveAt = new Date('2027-03-31T10:00:00Z');
    expect(describeScheduledChange({ productName: 'Team', cadence: 'monthly', quantity: 2, perSeat: true, effectiveAt })).toBe('Changes to Team (monthly), 2 seats, on Mar 31, 2027');
    expect(describeScheduledChange({ productName: 'Team', cadence: 'yearly', quantity: 1, perSeat: true, effectiveAt })).toBe('Changes to Team (yearly), 1 seat, on Mar 31, 2027');
    expect(describeScheduledChange({ productName: 'Starter', cadence: 'monthly', quantity: 1, perSeat: false, effectiveAt })).toBe('Changes to Starter (monthly), on Mar 31, 2027');
  });

  it('explains restricted and past-due access, and says nothing when a feature is simply included', () => {
    const since = Date.parse('2027-03-03T08:00:00Z');
    const ends = Date.parse('2027-03-10T08:00:00Z');
    expect(describeAccess(access({}))).toBeNull();
    expect(describeAccess(access({ reason: 'trialing' }))).toBeNull();
    expect(describeAccess(access({ reason: 'past_due_within_grace', pastDueSince: since, graceEndsAt: ends }))).toBe('Payment past due since Mar 3, 2027; access continues until Mar 10, 2027. Pay the open invoice to keep it.');
    expect(describeAccess(access({ allowed: false, reason: 'past_due_grace_expired', pastDueSince: since, graceEndsAt: ends }))).toBe(
      'Access restricted: payment past due since Mar 3, 2027; the grace period ended Mar 10, 2027. Pay the open invoice to restore it.',
    );
    expect(describeAccess(access({ allowed: false, reason: 'paused' }))).toBe('Access restricted: this subscription is paused.');
    expect(describeAccess(access({ allowed: false, reason: 'unpaid' }))).toBe('Access restricted: this subscription is unpaid.');
  });
});

describe('describeDiscount', () => {
  const coupon = { name: 'Launch offer', percentOff: '20', amountsOff: null, duration: 'repeating' as const, durationInPeriods: 3 };
  it('says what is off and on how many invoices', () => {
    expect(describeDiscount(coupon, 1, 'USD')).toBe('Launch offer: 20% off the next 2 invoices');
    expect(describeDiscount(coupon, 2, 'USD')).toBe('Launch offer: 20% off the next invoice');
    expect(describeDiscount({ ...coupon, duration: 'once', durationInPeriods: null }, 0, 'USD')).toBe('Launch offer: 20% off the next invoice');
    expect(describeDiscount({ ...coupon, percentOff: null, amountsOff: { EUR: 500 }, duration: 'forever', durationInPeriods: null }, 7, 'EUR')).toBe('Launch offer: €5.00 off every invoice');
  });
});
