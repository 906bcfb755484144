'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { subscriptionAction, type SubscriptionActionState } from '@/app/billing/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The buttons a live subscription offers: end it with the period (or now), or take that back. */
export function SubscriptionActions({ subscriptionId, endingAtPeriodEnd }: { subscriptionId: string; endingAtPeriodEnd: boolean }) {
  const [state, action, pending] = useActionState<SubscriptionActionState, FormData>(subscriptionAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" aria-label="Subscription actions">
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      {endingAtPeriodEnd ? (
        <Button type="submit" name="action" value="resume" size="sm" variant="secondary" disabled={pending}>
          Resume
        </Button>
      ) : (
        <Button type="submit" name="action" value="cancel_at_period_end" size="sm" variant="secondary" disabled={pending}>
          Cancel at period end
        </Button>
      )}
      <Button asChild size="sm" variant="secondary">
        <Link href={`/billing/subscriptions/${subscriptionId}/change`}>Change plan</Link>
      </Button>
      <Button type="submit" name="action" value="cancel_now" size="sm" variant="danger" disabled={pending}>
        Cancel now
      </Button>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.done ? <Alert tone="success">{state.done}</Alert> : null}
    </form>
  );
}
