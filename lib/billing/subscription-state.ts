/**
 * The subscription state machine. The transition table below is the single source of truth: an event
 * not listed for a status throws `IllegalTransitionError`; where the table offers two targets, a
 * merchant setting picks one. `cancelAtPeriodEnd` is a flag on a live subscription, not a state.
 *
 *   trialing ─trial_ended_with_payment_method→ active
 *   trialing ─trial_ended_without_payment_method→ paused | canceled        (setting)
 *   active ─payment_failed→ past_due ─payment_succeeded→ active
 *   past_due ─retries_exhausted→ canceled | unpaid                          (setting)
 *   unpaid ─payment_succeeded→ active;  active ─pause→ paused ─resume→ active
 *   any live state ─cancel_now→ canceled;  canceled is final
 */
import { BillingInputError, IllegalTransitionError } from './errors';
import { assertInstant, type EpochMs } from './periods';

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'paused', 'canceled', 'unpaid'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const SUBSCRIPTION_EVENT_TYPES = [
  'trial_ended_with_payment_method',
  'trial_ended_without_payment_method',
  'payment_succeeded',
  'payment_failed',
  'retries_exhausted',
  'pause',
  'resume',
  'cancel_now',
  'cancel_at_period_end',
  'undo_cancel',
  'period_ended_with_cancel_flag',
] as const;
export type SubscriptionEventType = (typeof SUBSCRIPTION_EVENT_TYPES)[number];

/** Every event carries the instant it happened; the engine never reads a clock. */
export interface SubscriptionEvent {
  readonly type: SubscriptionEventType;
  readonly at: EpochMs;
}

export interface SubscriptionSettings {
  /** What a trial that ends with no payment method on file becomes. */
  readonly trialEndWithoutPaymentMethod: 'pause' | 'cancel';
  /** What a past-due subscription becomes when dunning gives up. */
  readonly retriesExhausted: 'cancel' | 'mark_unpaid';
}

export interface SubscriptionState {
  readonly status: SubscriptionStatus;
  /** Set by cancel_at_period_end: the subscription ends at `currentPeriodEnd`. */
  readonly cancelAtPeriodEnd: boolean;
  readonly currentPeriodEnd: EpochMs;
  /** When cancellation was requested (now or at period end). */
  readonly canceledAt: EpochMs | null;
  /** When the subscription stopped for good. */
  readonly endedAt: EpochMs | null;
  /** When the current run of failed payments began; the entitlement grace period counts from it. */
  readonly pastDueSince: EpochMs | null;
}

type TransitionTable = Readonly<Record<SubscriptionEventType, Readonly<Partial<Record<SubscriptionStatus, readonly SubscriptionStatus[]>>>>>;

/** event → from-status → possible to-statuses (two only where a setting decides). */
export const SUBSCRIPTION_TRANSITIONS: TransitionTable = {
  trial_ended_with_payment_method: { trialing: ['active'] },
  trial_ended_without_payment_method: { trialing: ['paused', 'canceled'] },
  payment_succeeded: { active: ['active'], past_due: ['active'], unpaid: ['active'] },
  payment_failed: { active: ['past_due'], past_due: ['past_due'] },
  retries_exhausted: { past_due: ['canceled', 'unpaid'] },
  pause: { active: ['paused'] },
  resume: { paused: ['active'] },
  cancel_now: { trialing: ['canceled'], active: ['canceled'], past_due: ['canceled'], paused: ['canceled'], unpaid: ['canceled'] },
  cancel_at_period_end: { trialing: ['trialing'], active: ['active'], past_due: ['past_due'] },
  undo_cancel: { trialing: ['trialing'], active: ['active'], past_due: ['past_due'] },
  period_ended_with_cancel_flag: { trialing: ['canceled'], active: ['canceled'], past_due: ['canceled'] },
};

/** The statuses an event may lead to from `status` (empty: the event is illegal there). */
export function possibleTargets(status: SubscriptionStatus, event: SubscriptionEventType): readonly SubscriptionStatus[] {
  return SUBSCRIPTION_TRANSITIONS[event]?.[status] ?? [];
}

/** The events a subscription in `status` accepts, per the table (guards on the flag and time still apply). */
export function acceptedEvents(status: SubscriptionStatus): SubscriptionEventType[] {
  return SUBSCRIPTION_EVENT_TYPES.filter((event) => possibleTargets(status, event).length > 0);
}

function targetStatus(state: SubscriptionState, event: SubscriptionEvent, settings: SubscriptionSettings): SubscriptionStatus {
  const targets = possibleTargets(state.status, event.type);
  const illegal = (reason: string) => new IllegalTransitionError(state.status, event.type, reason);
  if (targets.length === 0) throw illegal(state.status === 'canceled' ? 'the subscription is canceled' : `not allowed from ${state.status}`);
  switch (event.type) {
    case 'trial_ended_without_payment_method':
      return settings.trialEndWithoutPaymentMethod === 'pause' ? 'paused' : 'canceled';
    case 'retries_exhausted':
      return settings.retriesExhausted === 'mark_unpaid' ? 'unpaid' : 'canceled';
    case 'cancel_at_period_end':
      if (state.cancelAtPeriodEnd) throw illegal('cancellation at period end is already scheduled');
      if (event.at >= state.currentPeriodEnd) throw illegal('the current period has already ended');
      break;
    case 'undo_cancel':
      if (!state.cancelAtPeriodEnd) throw illegal('no cancellation is scheduled');
      if (event.at >= state.currentPeriodEnd) throw illegal('the subscription has reached the end of its period and cannot be resumed');
      break;
    case 'period_ended_with_cancel_flag':
      if (!state.cancelAtPeriodEnd) throw illegal('no cancellation is scheduled');
      if (event.at < state.currentPeriodEnd) throw illegal('the current period has not ended yet');
      break;
  }
  return targets[0];
}

/**
 * Applies an event and returns the new state. Throws `IllegalTransitionError` for an event the state
 * does not accept and `BillingInputError` for malformed input. Never mutates its arguments.
 */
export function transition(state: SubscriptionState, event: SubscriptionEvent, settings: SubscriptionSettings): SubscriptionState {
  if (!SUBSCRIPTION_STATUSES.includes(state.status)) throw new BillingInputError(`unknown subscription status "${String(state.status)}"`);
  if (!SUBSCRIPTION_EVENT_TYPES.includes(event.type)) throw new BillingInputError(`unknown subscription event "${String(event.type)}"`);
  assertInstant(event.at, 'event time');
  assertInstant(state.currentPeriodEnd, 'currentPeriodEnd');
  const status = targetStatus(state, event, settings);
  const next: SubscriptionState = { ...state, status };
  switch (event.type) {
    case 'payment_failed':
      return { ...next, pastDueSince: state.pastDueSince ?? event.at };
    case 'payment_succeeded':
      return { ...next, pastDueSince: null };
    case 'cancel_at_period_end':
      return { ...next, cancelAtPeriodEnd: true, canceledAt: event.at };
    case 'undo_cancel':
      return { ...next, cancelAtPeriodEnd: false, canceledAt: null };
    case 'period_ended_with_cancel_flag':
      return { ...next, cancelAtPeriodEnd: false, endedAt: state.currentPeriodEnd, pastDueSince: null };
    default:
      if (status === 'canceled') return { ...next, cancelAtPeriodEnd: false, canceledAt: state.canceledAt ?? event.at, endedAt: event.at, pastDueSince: null };
      return status === 'past_due' ? next : { ...next, pastDueSince: status === 'unpaid' ? state.pastDueSince : null };
  }
}
