/** A subscription row as the pure state machine's SubscriptionState, and back to the row's columns. */
import type { Subscription } from '@/db/schema';
import type { SubscriptionState } from '@/lib/billing';

export function subscriptionState(sub: Subscription): SubscriptionState {
  return {
    status: sub.status,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    currentPeriodEnd: sub.currentPeriodEnd.getTime(),
    canceledAt: sub.canceledAt?.getTime() ?? null,
    endedAt: sub.endedAt?.getTime() ?? null,
    pastDueSince: sub.pastDueSince?.getTime() ?? null,
  };
}

export function stateColumns(state: SubscriptionState) {
  const date = (t: number | null) => (t === null ? null : new Date(t));
  return { status: state.status, cancelAtPeriodEnd: state.cancelAtPeriodEnd, canceledAt: date(state.canceledAt), endedAt: date(state.endedAt), pastDueSince: date(state.pastDueSince) };
}
