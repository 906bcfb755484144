/**
 * What happens to a subscription whose period has ended: the pure decision the billing run applies.
 * Renewals bill in advance: the invoice for the period that starts now. Tax and credit are applied
 * by the invoice builder, not here.
 *
 *   cancel flag set          → the subscription ends (no invoice)
 *   trial over, no method    → paused or canceled (setting), no invoice
 *   trialing / active / past_due → invoice the next period, advance to it (a trial becomes active)
 *   paused / canceled / unpaid  → nothing is billed
 */
import { BillingInputError } from './errors';
import { subscriptionLine, flatSubscriptionLine, type SubscriptionLine } from './invoice-totals';
import { money } from './money';
import { periodContaining, type BillingPeriod, type EpochMs } from './periods';
import { cycleFor, periodAmount, type RecurringPrice } from './price';
import { transition, type SubscriptionSettings, type SubscriptionState } from './subscription-state';

export interface RenewalInput {
  state: SubscriptionState;
  currentPeriodStart: EpochMs;
  billingCycleAnchor: EpochMs;
  price: RecurringPrice;
  quantity: number;
  /** A default payment method is on file to charge off-session. */
  hasPaymentMethod: boolean;
  settings: SubscriptionSettings;
  now: EpochMs;
}

export type RenewalPlan =
  | { kind: 'not_due' }
  | { kind: 'not_billed'; reason: string }
  | { kind: 'end'; state: SubscriptionState }
  | { kind: 'trial_ended_without_payment_method'; state: SubscriptionState }
  | { kind: 'invoice'; period: BillingPeriod; line: SubscriptionLine; state: SubscriptionState };

export function planRenewal(input: RenewalInput): RenewalPlan {
  const { state, now } = input;
  if (state.currentPeriodEnd > now) return { kind: 'not_due' };
  if (state.status === 'paused' || state.status === 'canceled' || state.status === 'unpaid') return { kind: 'not_billed', reason: `the subscription is ${state.status}` };
  const at = state.currentPeriodEnd;
  if (state.cancelAtPeriodEnd) return { kind: 'end', state: transition(state, { type: 'period_ended_with_cancel_flag', at }, input.settings) };
  if (state.status === 'trialing' && !input.hasPaymentMethod) {
    return { kind: 'trial_ended_without_payment_method', state: transition(state, { type: 'trial_ended_without_payment_method', at }, input.settings) };
  }
  const cycle = cycleFor(input.price, input.billingCycleAnchor);
  const period = periodContaining(cycle, state.currentPeriodEnd);
  if (period.start !== state.currentPeriodEnd) throw new BillingInputError('the current period does not end on a boundary of the billing cycle');
  const next = { start: period.start, end: period.end };
  const item = { price: input.price, quantity: input.quantity };
  const line =
    input.price.pricingModel === 'flat'
      ? flatSubscriptionLine({ priceId: input.price.id, description: input.price.name ?? input.price.id, amount: periodAmount(item), quantity: input.quantity, period: next })
      : subscriptionLine({ priceId: input.price.id, description: input.price.name ?? input.price.id, unitAmount: money(input.price.unitAmount, input.price.currency), quantity: input.quantity, period: next });
  const advanced = state.status === 'trialing' ? transition(state, { type: 'trial_ended_with_payment_method', at }, input.settings) : state;
  return { kind: 'invoice', period: next, line, state: { ...advanced, currentPeriodEnd: next.end } };
}
