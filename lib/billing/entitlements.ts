/**
 * May this customer use feature X now? One pure answer from the subscription's status, the plan's
 * features (products.features), the time, and the past-due grace period setting.
 *
 *   trialing, active                  → allowed (if the plan has the feature)
 *   past_due, within the grace period → allowed; after it → restricted
 *   paused, canceled, unpaid, none    → not allowed
 * A subscription cancelled at period end stays active (and allowed) until its period ends.
 */
import { BillingInputError } from './errors';
import { assertInstant, type EpochMs } from './periods';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from './subscription-state';

export interface EntitlementQuery {
  /** Null when the customer has no subscription. */
  readonly subscription: { readonly status: SubscriptionStatus; readonly pastDueSince: EpochMs | null } | null;
  readonly planFeatures: readonly string[];
  readonly feature: string;
  readonly now: EpochMs;
  /** How long a past-due subscription keeps access, counted from `pastDueSince` (ms, ≥ 0). */
  readonly pastDueGracePeriodMs: number;
}

export type EntitlementDecision =
  | { readonly allowed: true; readonly reason: 'active' | 'trialing' }
  | { readonly allowed: true; readonly reason: 'past_due_within_grace'; readonly graceEndsAt: EpochMs }
  | { readonly allowed: false; readonly reason: 'no_subscription' | 'paused' | 'canceled' | 'unpaid' | 'past_due_grace_expired' | 'feature_not_in_plan' };

export function canUseFeature(query: EntitlementQuery): EntitlementDecision {
  const { subscription, planFeatures, feature, now, pastDueGracePeriodMs } = query;
  assertInstant(now, 'now');
  if (!feature) throw new BillingInputError('feature is required');
  if (!Number.isSafeInteger(pastDueGracePeriodMs) || pastDueGracePeriodMs < 0) {
    throw new BillingInputError(`pastDueGracePeriodMs must be a non-negative integer, got ${pastDueGracePeriodMs}`);
  }
  if (subscription === null) return { allowed: false, reason: 'no_subscription' };
  if (!SUBSCRIPTION_STATUSES.includes(subscription.status)) throw new BillingInputError(`unknown subscription status "${String(subscription.status)}"`);

  let granted: EntitlementDecision;
  switch (subscription.status) {
    case 'paused':
    case 'canceled':
    case 'unpaid':
      return { allowed: false, reason: subscription.status };
    case 'past_due': {
      if (subscription.pastDueSince === null) throw new BillingInputError('a past_due subscription needs pastDueSince');
      assertInstant(subscription.pastDueSince, 'pastDueSince');
      const graceEndsAt = subscription.pastDueSince + pastDueGracePeriodMs;
      if (now >= graceEndsAt) return { allowed: false, reason: 'past_due_grace_expired' };
      granted = { allowed: true, reason: 'past_due_within_grace', graceEndsAt };
      break;
    }
    default:
      granted = { allowed: true, reason: subscription.status };
  }
  return planFeatures.includes(feature) ? granted : { allowed: false, reason: 'feature_not_in_plan' };
}
