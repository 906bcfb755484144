'use client';

import { useActionState, useState } from 'react';
import { applyCouponAction, createCouponAction, type ApplyCouponState, type CouponFormState } from '@/app/admin/coupons/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Label } from '@/components/ui/label';

const selectClass = 'h-10 w-full rounded-md border border-slate-300 bg-white px-2 text-sm';

function Choice({ name, label, value, options, onChange, error }: { name: string; label: string; value: string; options: Array<[string, string]>; onChange: (v: string) => void; error?: string }) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={name}>{label}</Label>
      <select id={name} name={name} value={value} onChange={(e) => onChange(e.target.value)} className={selectClass} aria-invalid={error ? true : undefined}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      {error ? <p className="text-sm text-red-700">{error}</p> : null}
    </div>
  );
}

/** Creates a coupon; the code is what customers type at checkout. */
export function CreateCouponForm({ currencies, plans }: { currencies: string[]; plans: Array<{ id: string; name: string }> }) {
  const [state, action, pending] = useActionState<CouponFormState, FormData>(createCouponAction, {});
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const [kind, setKind] = useState(values.discountKind ?? 'percent');
  const [duration, setDuration] = useState(values.duration ?? 'once');
  return (
    <form action={action} className="space-y-4" aria-label="Create a coupon">
      <div className="grid gap-3 sm:grid-cols-2">
        <FormField label="Code (customers type it)" name="code" placeholder="SPRING25" defaultValue={values.code} error={errors.code} required maxLength={40} />
        <FormField label="Name (printed on invoices)" name="name" placeholder="Spring sale" defaultValue={values.name} error={errors.name} required maxLength={100} />
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <Choice name="discountKind" label="Discount" value={kind} onChange={setKind} options={[['percent', 'Percentage off'], ['fixed', 'Fixed amount off']]} error={errors.discountKind} />
        {kind === 'percent' ? (
          <FormField label="Percent off" name="percentOff" inputMode="decimal" placeholder="20" defaultValue={values.percentOff} error={errors.percentOff} />
        ) : (
          <fieldset className="space-y-1.5 sm:col-span-2">
            <legend className="text-sm font-medium">Amount off, per currency (empty: not usable in it)</legend>
            <div className="flex gap-3">
              {currencies.map((c) => (
                <FormField key={c} label={c} name={`amountOff_${c}`} inputMode="decimal" placeholder="10.00" defaultValue={values[`amountOff_${c}`]} />
              ))}
            </div>
            {errors.amountsOff ? <p className="text-sm text-red-700">{errors.amountsOff}</p> : null}
          </fieldset>
        )}
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <Choice name="duration" label="Duration" value={duration} onChange={setDuration} options={[['once', 'Once (the first invoice)'], ['repeating', 'Repeating'], ['forever', 'Forever']]} error={errors.duration} />
        {duration === 'repeating' ? <FormField label="Invoices discounted" name="durationInPeriods" inputMode="numeric" placeholder="3" defaultValue={values.durationInPeriods} error={errors.durationInPeriods} /> : null}
        <FormField label="Redeemable until (UTC day, optional)" name="redeemBy" type="date" defaultValue={values.redeemBy} error={errors.redeemBy} />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <FormField label="Redemptions in all (optional)" name="maxRedemptions" inputMode="numeric" defaultValue={values.maxRedemptions} error={errors.maxRedemptions} />
        <FormField label="Redemptions per customer (optional)" name="maxRedemptionsPerCustomer" inputMode="numeric" defaultValue={values.maxRedemptionsPerCustomer} error={errors.maxRedemptionsPerCustomer} />
      </div>
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium">Only for these plans (none ticked: every plan)</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {plans.map((p) => (
            <label key={p.id} className="flex items-center gap-1.5">
              <input type="checkbox" name="productIds" value={p.id} /> {p.name}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex items-center gap-1.5 text-sm">
        <input type="checkbox" name="firstTimeOnly" defaultChecked={values.firstTimeOnly === 'on'} /> First-time customers only (no payment before)
      </label>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.created ? <Alert tone="success">Coupon {state.created} created.</Alert> : null}
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create coupon'}
      </Button>
    </form>
  );
}

/** On a customer's page: puts a coupon on one of their subscriptions. */
export function ApplyCouponForm({ customerId, subscriptionId }: { customerId: string; subscriptionId: string }) {
  const [state, action, pending] = useActionState<ApplyCouponState, FormData>(applyCouponAction, {});
  return (
    <form action={action} className="mt-1 flex flex-wrap items-center gap-2" aria-label="Apply a coupon">
      <input type="hidden" name="customerId" value={customerId} />
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      <input name="code" aria-label="Coupon code" placeholder="Coupon code" required maxLength={40} className="h-8 w-32 rounded-md border border-slate-300 px-2 text-xs" />
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        Apply
      </Button>
      {state.error ? <p className="w-full text-xs text-red-700">{state.error}</p> : null}
      {state.applied ? <p className="w-full text-xs text-green-700">{state.applied}</p> : null}
    </form>
  );
}
