import { describe, expect, it } from 'vitest';
import { canUseFeature, type EntitlementQuery } from './entitlements';
import { BillingInputError } from './errors';
import type { SubscriptionStatus } from './subscription-state';

const DAY = 86_400_000;
const failedAt = Date.parse('2024-04-10T12:00:00Z');
const query = (status: SubscriptionStatus | null, overrides: Partial<EntitlementQuery> = {}): EntitlementQuery => ({
  subscription: status === null ? null : { status, pastDueSince: status === 'past_due' ? failedAt : null },
  planFeatures: ['api', 'sso'],
  feature: 'api',
  now: failedAt + DAY,
  pastDueGracePeriodMs: 7 * DAY,
  ...overrides,
});

describe('canUseFeature', () => {
  it.each<[SubscriptionStatus | null, boolean, string]>([
    ['trialing', true, 'trialing'],
    ['active', true, 'active'],
    ['past_due', true, 'past_due_within_grace'],
    ['paused', false, 'paused'],
    ['canceled', false, 'canceled'],
    ['unpaid', false, 'unpaid'],
    [null, false, 'no_subscription'],
  ])('%s → allowed=%s (%s)', (status, allowed, reason) => {
    expect(canUseFeature(query(status))).toMatchObject({ allowed, reason });
  });

  it('past_due keeps access until the grace period ends, then restricts', () => {
    expect(canUseFeature(query('past_due', { now: failedAt + 7 * DAY - 1 }))).toEqual({ allowed: true, reason: 'past_due_within_grace', graceEndsAt: failedAt + 7 * DAY });
    expect(canUseFeature(query('past_due', { now: failedAt + 7 * DAY }))).toEqual({ allowed: false, reason: 'past_due_grace_expired' });
    expect(canUseFeature(query('past_due', { now: failedAt, pastDueGracePeriodMs: 0 }))).toEqual({ allowed: false, reason: 'past_due_grace_expired' });
  });

  it('needs the feature in the plan', () => {
    expect(canUseFeature(query('active', { feature: 'audit_log' }))).toEqual({ allowed: false, reason: 'feature_not_in_plan' });
    expect(canUseFeature(query('past_due', { feature: 'audit_log' }))).toEqual({ allowed: false, reason: 'feature_not_in_plan' });
    expect(canUseFeature(query('active', { feature: 'sso' })).allowed).toBe(true);
  });

  it('rejects malformed input', () => {
    expect(() => canUseFeature(query('active', { pastDueGracePeriodMs: -1 }))).toThrow(BillingInputError);
    expect(() => canUseFeature(query('active', { now: 1.5 }))).toThrow(/now must be/);
    expect(() => canUseFeature(query('active', { feature: '' }))).toThrow(/feature is required/);
    expect(() => canUseFeature(query(null, { subscription: { status: 'past_due', pastDueSince: null } }))).toThrow(/needs pastDueSince/);
  });
});
