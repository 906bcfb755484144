/**
 * The rules for correcting a finalized invoice, pure: which admin actions an invoice's status allows,
 * how much of it may still be credited, and how credit note reasons map to and from the providers'
 * refund reasons. The services in credit-notes.ts and admin-actions.ts apply them under row locks.
 */
import { formatMoney, money } from '@/lib/billing';
import { currencyExponent, fromMajorUnitString } from '@/lib/money';
import type { CreditNote, Invoice } from '@/db/schema';

export const CREDIT_NOTE_REASONS = ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory'] as const;
export type CreditNoteReason = (typeof CREDIT_NOTE_REASONS)[number];

export const CREDIT_NOTE_REASON_LABELS: Record<CreditNoteReason, string> = {
  duplicate: 'Duplicate charge',
  fraudulent: 'Fraudulent charge',
  order_change: 'Order change',
  product_unsatisfactory: 'Product unsatisfactory',
};

export type InvoiceActionErrorCode =
  | 'not_found'
  | 'wrong_status'
  | 'invalid_amount'
  | 'currency_mismatch'
  | 'exceeds_amount_paid'
  | 'no_refundable_payment'
  | 'request_key_reused'
  | 'provider_refused'
  | 'provider_unavailable'
  | 'paid_meanwhile'
  | 'payment_in_flight';

/** Why an admin action on an invoice was refused; nothing was changed. The message is for the admin. */
export class InvoiceActionError extends Error {
  constructor(
    readonly code: InvoiceActionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InvoiceActionError';
  }
}

/** Credit note numbers share the invoice numbers' gapless counters, under their own prefix per year. */
export function creditNotePrefix(issuedAt: Date): string {
  return `CN-${issuedAt.getUTCFullYear()}`;
}

type InvoiceStatus = Invoice['status'];
export type StatusAction = 'void' | 'mark_uncollectible';

const TARGET: Record<StatusAction, InvoiceStatus> = { void: 'void', mark_uncollectible: 'uncollectible' };
const VERB: Record<StatusAction, string> = { void: 'voided', mark_uncollectible: 'marked uncollectible' };

/**
 * What a status action does to an invoice in `status`: apply it, nothing (already done: a repeated
 * click is a no-op), or a refusal. Only an open invoice (finalized, not paid) can be voided or written
 * off; a paid one is corrected with credit notes instead.
 */
export function planStatusAction(status: InvoiceStatus, action: StatusAction): { kind: 'apply'; to: InvoiceStatus } | { kind: 'already' } | { kind: 'refused'; message: string } {
  if (status === TARGET[action]) return { kind: 'already' };
  if (status === 'open') return { kind: 'apply', to: TARGET[action] };
  const why: Record<InvoiceStatus, string> = {
    draft: 'is still a draft',
    open: '',
    paid: 'is paid (issue a credit note or a refund instead)',
    void: 'is void',
    uncollectible: 'is marked uncollectible',
  };
  return { kind: 'refused', message: `only an open invoice can be ${VERB[action]}, and this one ${why[status]}.` };
}

/** The sum of the credit notes that count: void ones credited nothing. */
export function creditedAmount(notes: ReadonlyArray<Pick<CreditNote, 'amount' | 'status'>>): number {
  return notes.reduce((total, note) => (note.status === 'issued' ? total + note.amount : total), 0);
}

/** What may still be credited on the invoice: what was paid less what credit notes already gave back. */
export function creditableAmount(invoice: Pick<Invoice, 'status' | 'amountPaid'>, credited: number): number {
  return invoice.status === 'paid' ? Math.max(0, invoice.amountPaid - credited) : 0;
}

/**
 * Why a credit note of `amount` in `currency` may not be issued on the invoice now, or null when it
 * may. The caller holds the invoice's row lock, so `credited` cannot change before it issues.
 */
export function creditNoteRefusal(
  invoice: Pick<Invoice, 'number' | 'status' | 'currency' | 'amountPaid'>,
  credited: number,
  request: { amount: number; currency: string },
): InvoiceActionError | null {
  const m = (amount: number) => formatMoney(money(amount, invoice.currency));
  if (invoice.status !== 'paid') return new InvoiceActionError('wrong_status', `Invoice ${invoice.number ?? ''} is ${invoice.status}: only a paid invoice can be credited or refunded.`);
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) return new InvoiceActionError('invalid_amount', 'The amount must be more than zero.');
  if (request.currency.toUpperCase() !== invoice.currency.toUpperCase()) {
    return new InvoiceActionError('currency_mismatch', `Invoice ${invoice.number} is in ${invoice.currency}, not ${request.currency.toUpperCase()}.`);
  }
  const left = creditableAmount(invoice, credited);
  if (request.amount > left) {
    return new InvoiceActionError(
      'exceeds_amount_paid',
      `Invoice ${invoice.number} had ${m(invoice.amountPaid)} paid and ${m(credited)} already credited: at most ${m(left)} can be credited, not ${m(request.amount)}.`,
    );
  }
  return null;
}

/** The credit note reason a provider's refund reason means (Stripe's `duplicate` and `fraudulent`); null otherwise. */
export function creditNoteReasonOfRefund(reason: string | null | undefined): CreditNoteReason | null {
  return reason === 'duplicate' || reason === 'fraudulent' ? reason : null;
}

/** The reason to send with a Stripe refund for a credit note: Stripe knows only these three. */
export function stripeRefundReason(reason: CreditNoteReason | null): 'duplicate' | 'fraudulent' | 'requested_by_customer' {
  return reason === 'duplicate' || reason === 'fraudulent' ? reason : 'requested_by_customer';
}

/**
 * An amount an admin typed ("12.50", "1200" for JPY), in minor units of the invoice's currency; or
 * why it is not one. Exact: a decimal string, never a float.
 */
export function parseCreditAmount(input: string, currency: string): { ok: true; amount: number } | { ok: false; message: string } {
  const exponent = currencyExponent(currency);
  const code = currency.toUpperCase();
  const example = exponent === 0 ? '1200' : exponent === 3 ? '12.500' : '12.50';
  const match = /^(\d+)(?:\.(\d+))?$/.exec(input.trim());
  if (!match) return { ok: false, message: `Enter an amount in ${code}, such as ${example}.` };
  if ((match[2]?.length ?? 0) > exponent) return { ok: false, message: `${code} has ${exponent} decimal places: enter an amount such as ${example}.` };
  let amount: number;
  try {
    amount = fromMajorUnitString(match[0], code);
  } catch {
    return { ok: false, message: 'That amount is too large.' };
  }
  return amount > 0 ? { ok: true, amount } : { ok: false, message: 'The amount must be more than zero.' };
}
