import { describe, expect, it } from 'vitest';
import { BillingInputError, IllegalTransitionError } from './errors';
import {
  acceptedEvents,
  possibleTargets,
  SUBSCRIPTION_EVENT_TYPES,
  SUBSCRIPTION_STATUSES,
  transition,
  type SubscriptionEventType,
  type SubscriptionSettings,
  type SubscriptionState,
  type SubscriptionStatus,
} from './subscription-state';

const periodEnd = Date.parse('2024-05-01T00:00:00Z');
const before = periodEnd - 3_600_000;
const after = periodEnd + 1;
const pauseAndCancel: SubscriptionSettings = { trialEndWithoutPaymentMethod: 'pause', retriesExhausted: 'cancel' };
const cancelAndUnpaid: SubscriptionSettings = { trialEndWithoutPaymentMethod: 'cancel', retriesExhausted: 'mark_unpaid' };

function state(status: SubscriptionStatus, overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  return { status, cancelAtPeriodEnd: false, currentPeriodEnd: periodEnd, canceledAt: null, endedAt: null, pastDueSince: status === 'past_due' ? before - 1000 : null, ...overrides };
}

/** Every legal transition, written out independently of the exported table. */
const legal: Array<[SubscriptionStatus, SubscriptionEventType, SubscriptionSettings, SubscriptionStatus, Partial<SubscriptionState>?, number?]> = [
  ['trialing', 'trial_ended_with_payment_method', pauseAndCancel, 'active'],
  ['trialing', 'trial_ended_without_payment_method', pauseAndCancel, 'paused'],
  ['trialing', 'trial_ended_without_payment_method', cancelAndUnpaid, 'canceled'],
  ['active', 'payment_succeeded', pauseAndCancel, 'active'],
  ['past_due', 'payment_succeeded', pauseAndCancel, 'active'],
  ['unpaid', 'payment_succeeded', pauseAndCancel, 'active'],
  ['active', 'payment_failed', pauseAndCancel, 'past_due'],
  ['past_due', 'payment_failed', pauseAndCancel, 'past_due'],
  ['past_due', 'retries_exhausted', pauseAndCancel, 'canceled'],
  ['past_due', 'retries_exhausted', cancelAndUnpaid, 'unpaid'],
  ['active', 'pause', pauseAndCancel, 'paused'],
  ['paused', 'resume', pauseAndCancel, 'active'],
  ['trialing', 'cancel_now', pauseAndCancel, 'canceled'],
  ['active', 'cancel_now', pauseAndCancel, 'canceled'],
  ['past_due', 'cancel_now', pauseAndCancel, 'canceled'],
  ['paused', 'cancel_now', pauseAndCancel, 'canceled'],
  ['unpaid', 'cancel_now', pauseAndCancel, 'canceled'],
  ['trialing', 'cancel_at_period_end', pauseAndCancel, 'trialing'],
  ['active', 'cancel_at_period_end', pauseAndCancel, 'active'],
  ['past_due', 'cancel_at_period_end', pauseAndCancel, 'past_due'],
  ['trialing', 'undo_cancel', pauseAndCancel, 'trialing', { cancelAtPeriodEnd: true }],
  ['active', 'undo_cancel', pauseAndCancel, 'active', { cancelAtPeriodEnd: true }],
  ['past_due', 'undo_cancel', pauseAndCancel, 'past_due', { cancelAtPeriodEnd: true }],
  ['trialing', 'period_ended_with_cancel_flag', pauseAndCancel, 'canceled', { cancelAtPeriodEnd: true }, after],
  ['active', 'period_ended_with_cancel_flag', pauseAndCancel, 'canceled', { cancelAtPeriodEnd: true }, after],
  ['past_due', 'period_ended_with_cancel_flag', pauseAndCancel, 'canceled', { cancelAtPeriodEnd: true }, after],
];

describe('subscription state machine', () => {
  it.each(legal)('%s --%s--> (%o) %s', (from, event, settings, to, overrides, at) => {
    const result = transition(state(from, overrides), { type: event, at: at ?? before }, settings);
    expect(result.status).toBe(to);
    expect(possibleTargets(from, event)).toContain(to);
  });

  it('the exported table has exactly these transitions; everything else throws IllegalTransitionError', () => {
    const legalPairs = new Set(legal.map(([from, event]) => `${from}:${event}`));
    let illegalCount = 0;
    for (const from of SUBSCRIPTION_STATUSES) {
      for (const event of SUBSCRIPTION_EVENT_TYPES) {
        const isLegal = legalPairs.has(`${from}:${event}`);
        expect(possibleTargets(from, event).length > 0, `${from}:${event}`).toBe(isLegal);
        if (!isLegal) {
          illegalCount += 1;
          const original = state(from, { cancelAtPeriodEnd: true });
          expect(() => transition(original, { type: event, at: after }, pauseAndCancel), `${from}:${event}`).toThrow(IllegalTransitionError);
        }
      }
    }
    expect(illegalCount).toBe(SUBSCRIPTION_STATUSES.length * SUBSCRIPTION_EVENT_TYPES.length - legalPairs.size);
    expect(acceptedEvents('canceled')).toEqual([]);
    expect(acceptedEvents('paused')).toEqual(['resume', 'cancel_now']);
  });

  it('cannot cancel a canceled subscription, and says why', () => {
    const canceled = transition(state('active'), { type: 'cancel_now', at: before }, pauseAndCancel);
    expect(canceled).toMatchObject({ status: 'canceled', canceledAt: before, endedAt: before });
    try {
      transition(canceled, { type: 'cancel_now', at: before + 1 }, pauseAndCancel);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect((error as IllegalTransitionError).from).toBe('canceled');
      expect((error as IllegalTransitionError).message).toMatch(/cancel_now .* canceled subscription: the subscription is canceled/);
    }
    expect(() => transition(canceled, { type: 'resume', at: before }, pauseAndCancel)).toThrow(IllegalTransitionError);
  });

  it('cancel at period end is a flag; undo works before the end, not after', () => {
    const scheduled = transition(state('active'), { type: 'cancel_at_period_end', at: before }, pauseAndCancel);
    expect(scheduled).toMatchObject({ status: 'active', cancelAtPeriodEnd: true, canceledAt: before, endedAt: null });
    expect(() => transition(scheduled, { type: 'cancel_at_period_end', at: before }, pauseAndCancel)).toThrow(/already scheduled/);
    expect(transition(scheduled, { type: 'undo_cancel', at: periodEnd - 1 }, pauseAndCancel)).toMatchObject({ status: 'active', cancelAtPeriodEnd: false, canceledAt: null });
    expect(() => transition(scheduled, { type: 'undo_cancel', at: periodEnd }, pauseAndCancel)).toThrow(/cannot be resumed/);
    expect(() => transition(state('active'), { type: 'undo_cancel', at: before }, pauseAndCancel)).toThrow(/no cancellation is scheduled/);
    expect(() => transition(scheduled, { type: 'period_ended_with_cancel_flag', at: periodEnd - 1 }, pauseAndCancel)).toThrow(/not ended yet/);
    expect(() => transition(state('active'), { type: 'period_ended_with_cancel_flag', at: after }, pauseAndCancel)).toThrow(/no cancellation is scheduled/);
    expect(() => transition(state('active'), { type: 'cancel_at_period_end', at: periodEnd }, pauseAndCancel)).toThrow(/already ended/);
    const ended = transition(scheduled, { type: 'period_ended_with_cancel_flag', at: after }, pauseAndCancel);
    expect(ended).toMatchObject({ status: 'canceled', cancelAtPeriodEnd: false, canceledAt: before, endedAt: periodEnd });
  });

  it('tracks when a run of failed payments began', () => {
    const first = transition(state('active'), { type: 'payment_failed', at: 1000 }, pauseAndCancel);
    expect(first.pastDueSince).toBe(1000);
    const second = transition(first, { type: 'payment_failed', at: 5000 }, pauseAndCancel);
    expect(second.pastDueSince).toBe(1000);
    expect(transition(second, { type: 'payment_succeeded', at: 6000 }, pauseAndCancel).pastDueSince).toBeNull();
    expect(transition(second, { type: 'retries_exhausted', at: 7000 }, cancelAndUnpaid)).toMatchObject({ status: 'unpaid', pastDueSince: 1000 });
  });

  it('never mutates its input and rejects malformed input', () => {
    const original = state('active');
    const frozen = Object.freeze({ ...original });
    transition(frozen, { type: 'pause', at: before }, pauseAndCancel);
    expect(frozen).toEqual(original);
    expect(() => transition(state('active'), { type: 'explode' as SubscriptionEventType, at: before }, pauseAndCancel)).toThrow(BillingInputError);
    expect(() => transition(state('zombie' as SubscriptionStatus), { type: 'pause', at: before }, pauseAndCancel)).toThrow(/unknown subscription status/);
    expect(() => transition(state('active'), { type: 'pause', at: Number.NaN }, pauseAndCancel)).toThrow(/event time/);
  });
});
