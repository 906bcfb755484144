'use client';

import { useActionState, type ComponentProps, type FormEvent } from 'react';
import { creditToBalanceAction, markUncollectibleAction, refundAction, voidInvoiceAction, type InvoiceActionState } from '@/app/admin/invoices/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

const initial: InvoiceActionState = {};

/** A labelled input whose id is unique on the page (two forms here share field names). */
function Field({ id, label, error, ...props }: ComponentProps<'input'> & { id: string; label: string; error?: string }) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...props} />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Outcome({ state }: { state: InvoiceActionState }) {
  if (state.error) return <Alert>{state.error}</Alert>;
  if (state.message) return <Alert tone="success">{state.message}</Alert>;
  return null;
}

/** Money-moving and irreversible actions ask once more in the browser; the server decides all the same. */
const confirmFirst = (question: string) => (event: FormEvent<HTMLFormElement>) => {
  if (!window.confirm(question)) event.preventDefault();
};

export function StatusActionButtons({ invoiceId, number, canVoid, canMarkUncollectible }: { invoiceId: string; number: string; canVoid: boolean; canMarkUncollectible: boolean }) {
  const [voidState, voidAction, voiding] = useActionState(voidInvoiceAction, initial);
  const [writeOffState, writeOffAction, writingOff] = useActionState(markUncollectibleAction, initial);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-3">
        <form action={voidAction} onSubmit={confirmFirst(`Void invoice ${number}? Nothing will be owed on it any more.`)}>
          <input type="hidden" name="invoiceId" value={invoiceId} />
          <Button type="submit" variant="danger" size="sm" disabled={!canVoid || voiding}>
            Void invoice
          </Button>
        </form>
        <form action={writeOffAction} onSubmit={confirmFirst(`Mark invoice ${number} uncollectible? It will not be charged again.`)}>
          <input type="hidden" name="invoiceId" value={invoiceId} />
          <Button type="submit" variant="secondary" size="sm" disabled={!canMarkUncollectible || writingOff}>
            Mark uncollectible
          </Button>
        </form>
      </div>
      <Outcome state={voidState} />
      <Outcome state={writeOffState} />
    </div>
  );
}

interface CreditFormProps {
  invoiceId: string;
  currency: string;
  /** Formatted, for the hint: what may still be credited. */
  creditable: string;
  /** A fresh key per page load: submitting the same form twice does it once. */
  requestKey: string;
  reasons: ReadonlyArray<{ value: string; label: string }>;
}

function CreditForm({ kind, invoiceId, currency, creditable, requestKey, reasons }: CreditFormProps & { kind: 'credit' | 'refund' }) {
  const [state, action, pending] = useActionState(kind === 'refund' ? refundAction : creditToBalanceAction, initial);
  const prefix = `${kind}-`;
  return (
    <form action={action} onSubmit={kind === 'refund' ? confirmFirst('Refund this amount to the customer through the payment provider?') : undefined} className="space-y-3">
      <input type="hidden" name="invoiceId" value={invoiceId} />
      <input type="hidden" name="currency" value={currency} />
      <input type="hidden" name="requestKey" value={requestKey} />
      <Field label={`Amount (${currency})`} name="amount" id={`${prefix}amount`} inputMode="decimal" required error={state.fieldErrors?.amount} />
      <p className="text-xs text-slate-500">Up to {creditable}.</p>
      <div className="space-y-1.5">
        <Label htmlFor={`${prefix}reason`}>Reason</Label>
        <select id={`${prefix}reason`} name="reason" defaultValue="" className="h-10 w-full rounded-md border border-slate-300 bg-white px-2 text-sm">
          <option value="">None</option>
          {reasons.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        {state.fieldErrors?.reason ? <p className="text-sm text-red-700">{state.fieldErrors.reason}</p> : null}
      </div>
      <Field label="Memo (internal)" name="memo" id={`${prefix}memo`} maxLength={500} error={state.fieldErrors?.memo} />
      <Button type="submit" size="sm" disabled={pending}>
        {kind === 'refund' ? 'Refund' : 'Credit to balance'}
      </Button>
      <Outcome state={state} />
    </form>
  );
}

export function CreditToBalanceForm(props: CreditFormProps) {
  return <CreditForm kind="credit" {...props} />;
}

export function RefundForm(props: CreditFormProps) {
  return <CreditForm kind="refund" {...props} />;
}
