/**
 * What an admin does to a finalized invoice: void it or mark it uncollectible while it is open; credit
 * it to the customer's balance or refund it through its provider once paid. Each is one service
 * function that either does it whole, with its audit entry, or throws InvoiceActionError and changes
 * nothing; each is keyed, so a repeat (a double click, a retry) is a no-op rather than a second effect.
 */
import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '@/db/client';
import { creditNotes, invoiceRefundRequests, invoices, payments, refunds, type CreditNote, type Invoice, type Refund } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { isUuid } from '@/lib/ids';
import type { Gateways } from '@/lib/payments/gateways';
import { recordPaymentReport, recordRefundReport, type PaymentReport } from '@/lib/payments/records';
import { cancelWaitingIntent } from '@/lib/payments/stripe/off-session';
import type { Runtime } from '@/lib/runtime';
import { recordBalanceTransaction } from './balance';
import { creditedAmount, creditNoteRefusal, InvoiceActionError, planStatusAction, type CreditNoteReason, type StatusAction } from './correction-rules';
import { creditNoteByKey, creditNotesOfInvoice, issueBalanceCreditNote, lockInvoice, type AuditActor } from './credit-notes';
import { refundAtProvider } from './provider-refunds';

export interface InvoiceAdminDeps {
  db: Database;
  gateways: Gateways;
  boss: PgBoss;
  appUrl: string;
}

export function invoiceAdminDeps(runtime: Runtime): InvoiceAdminDeps {
  return { db: runtime.db, gateways: runtime.gateways, boss: runtime.boss, appUrl: runtime.config.appUrl };
}

const notFound = () => new InvoiceActionError('not_found', 'There is no such invoice.');

export interface StatusActionInput {
  invoiceId: string;
  actor: AuditActor;
  now: Date;
}

export interface StatusActionResult {
  invoice: Invoice;
  /** False when the invoice already had that status: the repeat changed nothing. */
  changed: boolean;
}

/**
 * The invoice's latest payment attempt, made final before the invoice stops being owed: a Stripe
 * PaymentIntent that could still take money (waiting for 3-D Secure, or declined but still payable
 * from the pay page) is canceled. Returns Stripe's report afterwards, or null when there is nothing
 * to cancel. A PayPal payment still processing cannot be canceled: the action is refused.
 */
async function cancelOpenPayment(deps: Pick<InvoiceAdminDeps, 'db' | 'gateways'>, invoiceId: string): Promise<PaymentReport | null> {
  const [row] = await deps.db.select({ payment: payments, status: invoices.status, number: invoices.number }).from(invoices).innerJoin(payments, eq(payments.id, invoices.paymentId)).where(eq(invoices.id, invoiceId));
  if (!row || row.status !== 'open' || row.payment.status === 'succeeded' || row.payment.status === 'canceled') return null;
  if (row.payment.provider !== 'stripe') {
    if (row.payment.status === 'failed') return null;
    throw new InvoiceActionError('payment_in_flight', `Invoice ${row.number}: its PayPal payment is still being processed; try again once it has settled.`);
  }
  try {
    return await cancelWaitingIntent(deps.gateways.stripe, row.payment.providerPaymentId);
  } catch (error) {
    throw new InvoiceActionError('provider_unavailable', `Invoice ${row.number}: Stripe did not answer the cancellation of its payment (${error instanceof Error ? error.message : String(error)}); nothing was changed, try again.`);
  }
}

async function applyStatusAction(deps: Pick<InvoiceAdminDeps, 'db' | 'gateways'>, action: StatusAction, input: StatusActionInput): Promise<StatusActionResult> {
  if (!isUuid(input.invoiceId)) throw notFound();
  const canceled = await cancelOpenPayment(deps, input.invoiceId);
  return deps.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, input.invoiceId);
    if (!invoice) throw notFound();
    const plan = planStatusAction(invoice.status, action);
    if (plan.kind === 'already') return { invoice, changed: false };
    if (plan.kind === 'refused') throw new InvoiceActionError('wrong_status', `Invoice ${invoice.number}: ${plan.message}`);
    if (canceled?.status === 'succeeded') {
      throw new InvoiceActionError('paid_meanwhile', `Invoice ${invoice.number}: the customer has just paid it, so it stays owed and will show as paid.`);
    }
    if (canceled && canceled.status !== 'canceled') {
      throw new InvoiceActionError('payment_in_flight', `Invoice ${invoice.number}: its payment is ${canceled.status} at Stripe and cannot be canceled now; try again once it has settled.`);
    }
    if (canceled) await recordPaymentReport(tx, canceled);
    const { now } = input;
    const [updated] = await tx
      .update(invoices)
      .set({ status: plan.to, nextPaymentAttemptAt: null, ...(action === 'void' ? { voidedAt: now } : {}), updatedAt: now })
      .where(eq(invoices.id, invoice.id))
      .returning();
    // A voided invoice is owed by nobody, so the credit it had used goes back to the customer (as Stripe does).
    const creditReturned = action === 'void' ? invoice.creditApplied : 0;
    await recordBalanceTransaction(tx, {
      customerId: invoice.customerId,
      currency: invoice.currency,
      amount: creditReturned,
      type: 'invoice_voided',
      invoiceId: invoice.id,
      description: `Credit given back: invoice ${invoice.number} was voided`,
      idempotencyKey: `invoice:${invoice.id}:void-credit-returned`,
    });
    await writeAudit(tx, {
      actorType: input.actor.type,
      actorId: input.actor.id,
      action: action === 'void' ? 'invoice.voided' : 'invoice.marked_uncollectible',
      entityType: 'invoice',
      entityId: invoice.id,
      before: { status: invoice.status, amountRemaining: invoice.amountDue - invoice.amountPaid },
      after: { status: updated.status, ...(action === 'void' ? { voidedAt: now.toISOString(), creditReturned } : {}) },
    });
    return { invoice: updated, changed: true };
  });
}

/** An open invoice becomes void: nothing is owed any more, and a later charge job finds nothing due. */
export function voidInvoice(deps: Pick<InvoiceAdminDeps, 'db' | 'gateways'>, input: StatusActionInput): Promise<StatusActionResult> {
  return applyStatusAction(deps, 'void', input);
}

/** An open invoice is written off as uncollectible: no more charge attempts. */
export function markInvoiceUncollectible(deps: Pick<InvoiceAdminDeps, 'db' | 'gateways'>, input: StatusActionInput): Promise<StatusActionResult> {
  return applyStatusAction(deps, 'mark_uncollectible', input);
}

export interface CreditRequest {
  invoiceId: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  reason: CreditNoteReason | null;
  memo: string | null;
  /** One per submitted form: a repeat with the same key is a no-op. */
  requestKey: string;
  actor: AuditActor;
  now: Date;
}

export interface CreditResult {
  creditNote: CreditNote;
  /** False for a repeated request, which found its credit note already issued. */
  created: boolean;
}

const reusedKey = () => new InvoiceActionError('request_key_reused', 'This form was already submitted with another amount. Reload the page to issue another credit note or refund.');

/** A credit note on a paid invoice, settled to the customer's credit balance, which their next invoices use first. */
export async function creditInvoiceToBalance(deps: Pick<InvoiceAdminDeps, 'db' | 'boss' | 'appUrl'>, input: CreditRequest): Promise<CreditResult> {
  if (!isUuid(input.invoiceId)) throw notFound();
  const key = `admin-credit:${input.invoiceId}:${input.requestKey}`;
  return deps.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, input.invoiceId);
    if (!invoice) throw notFound();
    const existing = await creditNoteByKey(tx, key);
    if (existing) {
      if (existing.amount !== input.amount) throw reusedKey();
      return { creditNote: existing, created: false };
    }
    const credited = creditedAmount(await creditNotesOfInvoice(tx, invoice.id));
    const creditNote = await issueBalanceCreditNote(tx, {
      invoice,
      amount: input.amount,
      currency: input.currency,
      credited,
      reason: input.reason,
      memo: input.memo,
      idempotencyKey: key,
      actor: input.actor,
      now: input.now,
      notify: { boss: deps.boss, appUrl: deps.appUrl },
    });
    return { creditNote, created: true };
  });
}

export interface RefundResult {
  refund: Refund;
  /** Null when the provider failed the refund at once (nothing was credited). */
  creditNote: CreditNote | null;
  created: boolean;
}

async function refundResult(tx: DbOrTx, refundId: string, created: boolean): Promise<RefundResult> {
  const [refund] = await tx.select().from(refunds).where(eq(refunds.id, refundId));
  const [creditNote] = await tx.select().from(creditNotes).where(eq(creditNotes.refundId, refundId));
  return { refund, creditNote: creditNote ?? null, created };
}

/**
 * Refunds a paid invoice, whole or in part, through the provider of the payment that paid it, and
 * records the refund as its webhook would, which issues the credit note. The refund's webhook, arriving
 * before or after, finds the refund recorded and issues nothing more: the credit note is keyed by the
 * refund's provider id.
 */
export async function refundInvoice(deps: InvoiceAdminDeps, input: CreditRequest): Promise<RefundResult> {
  if (!isUuid(input.invoiceId)) throw notFound();
  const key = `admin-refund:${input.invoiceId}:${input.requestKey}`;
  const [row] = await deps.db.select({ invoice: invoices, payment: payments }).from(invoices).leftJoin(payments, eq(payments.id, invoices.paymentId)).where(eq(invoices.id, input.invoiceId));
  if (!row) throw notFound();
  const { payment } = row;
  if (!payment || payment.status !== 'succeeded' || !payment.providerChargeId) {
    const refusal = creditNoteRefusal(row.invoice, 0, { amount: input.amount, currency: input.currency });
    if (refusal && refusal.code !== 'exceeds_amount_paid') throw refusal;
    throw new InvoiceActionError('no_refundable_payment', `Invoice ${row.invoice.number} was not paid by card or PayPal (credit covered it), so there is nothing to refund: credit the customer's balance instead.`);
  }

  return deps.db.transaction(async (tx) => {
    // The invoice's lock first, then its payment's: the order every path takes them in, so this and the
    // refund's webhook cannot deadlock (the webhook waits, then finds the refund recorded).
    const invoice = (await lockInvoice(tx, input.invoiceId))!;
    await tx.select({ id: payments.id }).from(payments).where(eq(payments.id, payment.id)).for('update');
    const [done] = await tx.select().from(invoiceRefundRequests).where(eq(invoiceRefundRequests.idempotencyKey, key));
    if (done) {
      if (done.amount !== input.amount) throw reusedKey();
      return refundResult(tx, done.refundId, false);
    }
    const credited = creditedAmount(await creditNotesOfInvoice(tx, invoice.id));
    const refusal = creditNoteRefusal(invoice, credited, { amount: input.amount, currency: input.currency });
    if (refusal) throw refusal;

    // The provider call under both locks, so nothing else can credit this invoice between the check
    // above and the record below. Keyed by the request: a retry after a lost answer gets the same refund.
    const report = await refundAtProvider(deps.gateways, { payment, amount: input.amount, currency: invoice.currency, reason: input.reason, invoice, idempotencyKey: key });
    const outcome = await recordRefundReport(tx, report, { actor: input.actor, reason: input.reason, memo: input.memo, notify: deps, now: input.now });
    if (outcome.kind === 'unknown') throw new Error(`refund ${report.providerRefundId} names charge ${report.providerChargeId}, not the invoice's payment`);
    await tx.insert(invoiceRefundRequests).values({ idempotencyKey: key, invoiceId: invoice.id, refundId: outcome.record.id, amount: input.amount, requestedBy: input.actor.id, createdAt: input.now });
    await writeAudit(tx, {
      actorType: input.actor.type,
      actorId: input.actor.id,
      action: 'invoice.refunded',
      entityType: 'invoice',
      entityId: invoice.id,
      after: { refundId: outcome.record.id, providerRefundId: report.providerRefundId, amount: report.amount, currency: report.currency, status: report.status },
      metadata: { requestKey: input.requestKey, reason: input.reason },
    });
    // Not new when the refund's webhook recorded it first (a retry after a lost answer).
    return refundResult(tx, outcome.record.id, outcome.kind === 'changed' && Object.keys(outcome.before).length === 0);
  });
}
