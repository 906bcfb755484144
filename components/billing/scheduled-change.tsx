'use client';

import { useActionState } from 'react';
import { cancelScheduledChangeAction, type SubscriptionActionState } from '@/app/billing/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The change waiting for the period end, and the button that keeps the current plan instead. */
export function ScheduledChange({ subscriptionId, description }: { subscriptionId: string; description: string }) {
  const [state, action, pending] = useActionState<SubscriptionActionState, FormData>(cancelScheduledChangeAction, {});
  if (state.done) return <Alert tone="success">{state.done}</Alert>;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" aria-label="Scheduled change">
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      <span data-testid="scheduled-change">{description}</span>
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        Keep current plan
      </Button>
      {state.error ? <Alert>{state.error}</Alert> : null}
    </form>
  );
}
