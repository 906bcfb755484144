'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireRole } from '@/lib/auth/guards';
import { formatMoney, money } from '@/lib/billing';
import { creditInvoiceToBalance, invoiceAdminDeps, markInvoiceUncollectible, refundInvoice, voidInvoice, type CreditRequest } from '@/lib/invoices/admin-actions';
import { CREDIT_NOTE_REASONS, InvoiceActionError, parseCreditAmount } from '@/lib/invoices/correction-rules';
import { getRuntime } from '@/lib/runtime';

export interface InvoiceActionState {
  message?: string;
  error?: string;
  fieldErrors?: Partial<Record<'amount' | 'reason' | 'memo', string>>;
}

const statusForm = z.object({ invoiceId: z.uuid() });

const creditForm = z.object({
  invoiceId: z.uuid(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  amount: z.string(),
  reason: z.union([z.enum(CREDIT_NOTE_REASONS), z.literal('')]).transform((v) => (v === '' ? null : v)),
  memo: z
    .string()
    .trim()
    .max(500, 'Keep the memo under 500 characters.')
    .transform((v) => v || null),
  requestKey: z.uuid(),
});

const fields = (form: FormData) => Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']));

async function admin(invoiceId?: string) {
  return requireRole(['admin'], invoiceId ? `/admin/invoices/${invoiceId}` : '/admin/invoices');
}

function revalidate(invoiceId: string) {
  revalidatePath(`/admin/invoices/${invoiceId}`);
  revalidatePath('/admin/invoices');
}

/** A refused action's message for the form; anything else is a fault and is thrown. */
function refused(error: unknown): InvoiceActionState {
  if (error instanceof InvoiceActionError) return { error: error.message };
  throw error;
}

async function statusAction(form: FormData, run: typeof voidInvoice, done: (number: string, changed: boolean) => string): Promise<InvoiceActionState> {
  const user = await admin();
  const parsed = statusForm.safeParse(fields(form));
  if (!parsed.success) return { error: 'That is not an invoice of this app.' };
  const runtime = await getRuntime();
  try {
    const { invoice, changed } = await run(invoiceAdminDeps(runtime), { invoiceId: parsed.data.invoiceId, actor: { type: 'user', id: user.id }, now: new Date() });
    revalidate(invoice.id);
    return { message: done(invoice.number ?? '', changed) };
  } catch (error) {
    return refused(error);
  }
}

export async function voidInvoiceAction(_prev: InvoiceActionState, form: FormData): Promise<InvoiceActionState> {
  return statusAction(form, voidInvoice, (number, changed) => (changed ? `Invoice ${number} is void: nothing is owed on it any more.` : `Invoice ${number} was already void.`));
}

export async function markUncollectibleAction(_prev: InvoiceActionState, form: FormData): Promise<InvoiceActionState> {
  return statusAction(form, markInvoiceUncollectible, (number, changed) => (changed ? `Invoice ${number} is marked uncollectible.` : `Invoice ${number} was already marked uncollectible.`));
}

/** The credit and refund forms: the same fields, parsed into a request, or the fields' errors. */
async function creditRequest(form: FormData): Promise<{ request: CreditRequest } | { state: InvoiceActionState }> {
  const values = fields(form);
  const user = await admin(typeof values.invoiceId === 'string' ? values.invoiceId : undefined);
  const parsed = creditForm.safeParse(values);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error).fieldErrors;
    if (flat.invoiceId || flat.currency || flat.requestKey) return { state: { error: 'The form is out of date. Reload the page and try again.' } };
    return { state: { fieldErrors: { reason: flat.reason ? 'Pick one of the reasons.' : undefined, memo: flat.memo?.[0] } } };
  }
  const amount = parseCreditAmount(parsed.data.amount, parsed.data.currency);
  if (!amount.ok) return { state: { fieldErrors: { amount: amount.message } } };
  const { invoiceId, currency, reason, memo, requestKey } = parsed.data;
  return { request: { invoiceId, amount: amount.amount, currency, reason, memo, requestKey, actor: { type: 'user', id: user.id }, now: new Date() } };
}

export async function creditToBalanceAction(_prev: InvoiceActionState, form: FormData): Promise<InvoiceActionState> {
  const parsed = await creditRequest(form);
  if ('state' in parsed) return parsed.state;
  try {
    const { creditNote, created } = await creditInvoiceToBalance(invoiceAdminDeps(await getRuntime()), parsed.request);
    revalidate(creditNote.invoiceId);
    const amount = formatMoney(money(creditNote.amount, creditNote.currency));
    return { message: created ? `Credit note ${creditNote.number} issued: ${amount} added to the customer's credit.` : `Credit note ${creditNote.number} was already issued for this form.` };
  } catch (error) {
    return refused(error);
  }
}

export async function refundAction(_prev: InvoiceActionState, form: FormData): Promise<InvoiceActionState> {
  const parsed = await creditRequest(form);
  if ('state' in parsed) return parsed.state;
  try {
    const { refund, creditNote, created } = await refundInvoice(invoiceAdminDeps(await getRuntime()), parsed.request);
    revalidate(parsed.request.invoiceId);
    const amount = formatMoney(money(refund.amount, refund.currency));
    if (refund.status === 'failed' || refund.status === 'canceled') {
      return { error: `The provider ${refund.status === 'failed' ? 'failed' : 'canceled'} the refund of ${amount}${refund.failureReason ? ` (${refund.failureReason})` : ''}: nothing was credited.` };
    }
    const note = creditNote ? `credit note ${creditNote.number}` : 'no credit note was issued (see the audit trail)';
    return { message: created ? `Refund of ${amount} ${refund.status}: ${note}.` : `This refund was already made: ${note}.` };
  } catch (error) {
    return refused(error);
  }
}
