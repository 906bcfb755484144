'use client';

import { useActionState } from 'react';
import { changePlanAction, type ChangePlanState } from '@/app/billing/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export function ConfirmChange({ subscriptionId, priceId, quantity, label }: { subscriptionId: string; priceId: string; quantity: number; label: string }) {
  const [state, action, pending] = useActionState<ChangePlanState, FormData>(changePlanAction, {});
  return (
    <form action={action} className="space-y-3" aria-label="Confirm change">
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      <input type="hidden" name="priceId" value={priceId} />
      <input type="hidden" name="quantity" value={quantity} />
      {state.error ? <Alert>{state.error}</Alert> : null}
      <Button type="submit" disabled={pending}>
        {pending ? 'Changing…' : label}
      </Button>
    </form>
  );
}
