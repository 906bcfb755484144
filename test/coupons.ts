/** A valid coupon definition for tests: 20% off once, no limits; override what a test is about. */
import type { CouponDefinition } from '@/lib/billing';

export function testCoupon(overrides: Partial<CouponDefinition> = {}): CouponDefinition {
  return {
    id: 'coupon_launch',
    code: 'LAUNCH20',
    name: 'Launch offer',
    discount: { kind: 'percent', percentOff: '20' },
    duration: 'once',
    durationInPeriods: null,
    redeemBy: null,
    maxRedemptions: null,
    maxRedemptionsPerCustomer: null,
    productIds: null,
    firstTimeOnly: false,
    ...overrides,
  };
}
