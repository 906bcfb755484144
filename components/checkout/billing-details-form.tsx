'use client';

import { startTransition, useActionState, useState, type FormEvent } from 'react';
import { saveBillingDetailsAction, type BillingDetailsState } from '@/app/checkout/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Label } from '@/components/ui/label';

export interface BillingDetailsDefaults {
  name: string;
  country: string;
  postalCode: string;
  vatId: string;
}

export function BillingDetailsForm({ defaults, countries }: { defaults: BillingDetailsDefaults; countries: ReadonlyArray<{ code: string; name: string }> }) {
  const [state, action, pending] = useActionState<BillingDetailsState, FormData>(saveBillingDetailsAction, {});
  const errors = state.fieldErrors ?? {};
  const value = (key: keyof BillingDetailsDefaults) => state.values?.[key] ?? defaults[key];
  const [country, setCountry] = useState(defaults.country);
  // Submitted by hand, not through `action`: React would reset the form afterwards, and the saved
  // details would vanish from the fields while the summary shows their tax.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  }
  return (
    <form onSubmit={submit} className="space-y-4" noValidate aria-label="Billing details">
      <FormField label="Name" name="name" autoComplete="name" defaultValue={value('name')} error={errors.name} required />
      <div className="grid grid-cols-2 gap-4">
        <div className="space-y-1.5">
          <Label htmlFor="country">Country</Label>
          <select
            id="country"
            name="country"
            value={country}
            onChange={(e) => setCountry(e.target.value)}
            className="h-10 w-full rounded-md border border-slate-300 bg-white px-3 text-sm shadow-sm"
            aria-invalid={errors.country ? true : undefined}
            aria-describedby={errors.country ? 'country-error' : undefined}
          >
            <option value="">Choose…</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.country ? (
            <p id="country-error" className="text-sm text-red-700">
              {errors.country}
            </p>
          ) : null}
        </div>
        <FormField label="Postal code" name="postalCode" autoComplete="postal-code" defaultValue={value('postalCode')} error={errors.postalCode} required />
      </div>
      <FormField label="VAT id (optional, for businesses)" name="vatId" defaultValue={value('vatId')} error={errors.vatId} />
      {state.saved ? <Alert tone="success">Billing details saved; the summary shows the tax for them.</Alert> : null}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Saving…' : 'Save billing details'}
      </Button>
    </form>
  );
}
