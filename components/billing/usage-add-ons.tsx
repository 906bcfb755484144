'use client';

import { useActionState } from 'react';
import { addUsageAddOnAction, type SubscriptionActionState } from '@/app/billing/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The metered add-ons a subscription can take, each added with one button (nothing is charged until usage is billed). */
export function UsageAddOns({ subscriptionId, addOns }: { subscriptionId: string; addOns: Array<{ priceId: string; name: string; description: string }> }) {
  const [state, action, pending] = useActionState<SubscriptionActionState, FormData>(addUsageAddOnAction, {});
  return (
    <form action={action} className="space-y-2" aria-label="Usage add-ons">
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      <ul className="space-y-1">
        {addOns.map((a) => (
          <li key={a.priceId} className="flex items-center justify-between gap-2">
            <span className="text-slate-600">{a.description}</span>
            <Button type="submit" name="priceId" value={a.priceId} size="sm" variant="secondary" disabled={pending}>
              Add {a.name}
            </Button>
          </li>
        ))}
      </ul>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.done ? <Alert tone="success">{state.done}</Alert> : null}
    </form>
  );
}
