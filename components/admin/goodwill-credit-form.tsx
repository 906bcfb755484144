'use client';

import { useActionState } from 'react';
import { grantGoodwillCreditAction, type GoodwillCreditState } from '@/app/admin/customers/[id]/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Label } from '@/components/ui/label';

/**
 * Grants a goodwill credit. `idempotencyKey` is made when the page renders: a double submit sends it
 * twice and credits once; after a credit the page renders again with a new one.
 */
export function GoodwillCreditForm({ customerId, currencies, idempotencyKey }: { customerId: string; currencies: string[]; idempotencyKey: string }) {
  const [state, action, pending] = useActionState<GoodwillCreditState, FormData>(grantGoodwillCreditAction, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-3" aria-label="Grant a goodwill credit">
      <input type="hidden" name="customerId" value={customerId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="grid gap-3 sm:grid-cols-[8rem_10rem]">
        <FormField label="Amount" name="amount" inputMode="decimal" placeholder="25.00" defaultValue={state.values?.amount} error={errors.amount} required />
        <div className="space-y-1.5">
          <Label htmlFor="currency">Currency</Label>
          <select id="currency" name="currency" defaultValue={state.values?.currency ?? currencies[0]} className="h-10 w-full rounded-md border border-slate-300 bg-white px-2 text-sm" aria-invalid={errors.currency ? true : undefined}>
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          {errors.currency ? <p className="text-sm text-red-700">{errors.currency}</p> : null}
        </div>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="reason">Reason (kept in the ledger and the audit log)</Label>
        <textarea
          id="reason"
          name="reason"
          required
          maxLength={500}
          rows={2}
          defaultValue={state.values?.reason}
          aria-invalid={errors.reason ? true : undefined}
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        {errors.reason ? <p className="text-sm text-red-700">{errors.reason}</p> : null}
      </div>
      {errors.customerId || errors.idempotencyKey ? <Alert>{errors.customerId ?? errors.idempotencyKey}</Alert> : null}
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <Button type="submit" disabled={pending || currencies.length === 0}>
        Grant credit
      </Button>
    </form>
  );
}
