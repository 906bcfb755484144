/**
 * Credit notes, in the caller's transaction: issuing one (to a refund or to the customer's credit
 * balance), and keeping refund-settled ones in step with their refund (a refund recorded on the payment
 * that paid an invoice issues one; the refund failing later voids it). The invoice is never changed:
 * its row is only locked, so the sum of its credit notes is checked against what was paid with no other
 * credit note issued in between.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { DbOrTx } from '@/db/client';
import { creditNotes, customerBalanceTransactions, customers, invoices, type AuditEntry, type CreditNote, type Invoice, type Refund } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { formatMoney, money } from '@/lib/billing';
import { queueEmail } from '@/lib/email/outbox';
import { creditNoteEmail } from '@/lib/email/templates';
import { recordBalanceTransaction } from './balance';
import { creditableAmount, creditedAmount, creditNotePrefix, creditNoteReasonOfRefund, creditNoteRefusal, type CreditNoteReason } from './correction-rules';
import { takeInvoiceNumber } from './numbering';

export interface AuditActor {
  type: AuditEntry['actorType'];
  id: string;
}

/** What emailing the customer needs; without it no email is sent (reconciliation has no queue at hand). */
export interface CreditNoteNotifier {
  boss: PgBoss;
  appUrl: string;
}

export async function lockInvoice(tx: DbOrTx, invoiceId: string): Promise<Invoice | undefined> {
  const [row] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for('update');
  return row;
}

export function creditNotesOfInvoice(tx: DbOrTx, invoiceId: string): Promise<CreditNote[]> {
  return tx.select().from(creditNotes).where(eq(creditNotes.invoiceId, invoiceId)).orderBy(asc(creditNotes.createdAt), asc(creditNotes.number));
}

export function creditNoteByKey(tx: DbOrTx, idempotencyKey: string): Promise<CreditNote | undefined> {
  return tx
    .select()
    .from(creditNotes)
    .where(eq(creditNotes.idempotencyKey, idempotencyKey))
    .then((rows) => rows[0]);
}

interface NewCreditNote {
  /** Locked by the caller, and checked with creditNoteRefusal for `amount`. */
  invoice: Invoice;
  amount: number;
  reason: CreditNoteReason | null;
  memo: string | null;
  settlement: { kind: 'refund'; refundId: string } | { kind: 'credit_balance' };
  idempotencyKey: string;
  actor: AuditActor;
  now: Date;
  notify: CreditNoteNotifier | null;
}

async function issue(tx: DbOrTx, input: NewCreditNote): Promise<CreditNote> {
  const { invoice, amount, now } = input;
  let balanceTransactionId: string | null = null;
  if (input.settlement.kind === 'credit_balance') {
    const entryKey = `credit-note:${input.idempotencyKey}`;
    await recordBalanceTransaction(tx, { customerId: invoice.customerId, currency: invoice.currency, amount, type: 'credit_note', invoiceId: invoice.id, description: `Credit note on invoice ${invoice.number}`, idempotencyKey: entryKey });
    const [entry] = await tx.select({ id: customerBalanceTransactions.id }).from(customerBalanceTransactions).where(eq(customerBalanceTransactions.idempotencyKey, entryKey));
    balanceTransactionId = entry.id;
  }
  // The number last: its counter row stays locked until commit, so the shorter the rest, the less others wait.
  const number = await takeInvoiceNumber(tx, creditNotePrefix(now));
  const [note] = await tx
    .insert(creditNotes)
    .values({
      number,
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      currency: invoice.currency,
      amount,
      reason: input.reason,
      settlement: input.settlement.kind,
      refundId: input.settlement.kind === 'refund' ? input.settlement.refundId : null,
      balanceTransactionId,
      memo: input.memo,
      idempotencyKey: input.idempotencyKey,
      createdAt: now,
    })
    .returning();
  await writeAudit(tx, {
    actorType: input.actor.type,
    actorId: input.actor.id,
    action: 'credit_note.issued',
    entityType: 'invoice',
    entityId: invoice.id,
    after: { creditNoteId: note.id, number, amount, currency: note.currency, reason: note.reason, settlement: note.settlement, refundId: note.refundId, balanceTransactionId },
  });
  if (input.notify) {
    const [customer] = await tx.select({ email: customers.email }).from(customers).where(eq(customers.id, invoice.customerId));
    await queueEmail(
      tx,
      input.notify.boss,
      customer.email,
      creditNoteEmail({ number, invoiceNumber: invoice.number!, amount: formatMoney(money(amount, note.currency)), settlement: note.settlement, url: `${input.notify.appUrl}/billing/invoices/${invoice.id}` }),
    );
  }
  return note;
}

/**
 * A credit note settled to the customer's credit balance, which the next invoices use first. The
 * caller has locked the invoice; `creditNoteRefusal` is checked here, so an illegal one throws
 * InvoiceActionError and writes nothing.
 */
export async function issueBalanceCreditNote(
  tx: DbOrTx,
  input: Omit<NewCreditNote, 'settlement'> & { currency: string; credited: number },
): Promise<CreditNote> {
  const refusal = creditNoteRefusal(input.invoice, input.credited, { amount: input.amount, currency: input.currency });
  if (refusal) throw refusal;
  return issue(tx, { ...input, settlement: { kind: 'credit_balance' } });
}

/** How a recorded refund shapes its credit note: who caused it, and what the admin said, when it was one. */
export interface RefundCreditNoteOptions {
  /** Defaults to the provider that reported the refund. */
  actor?: AuditActor;
  /** Defaults to what the provider's refund reason means (Stripe's duplicate, fraudulent). */
  reason?: CreditNoteReason | null;
  memo?: string | null;
  notify?: CreditNoteNotifier | null;
  now?: Date;
}

export type RefundCreditNoteChange = { kind: 'issued'; creditNote: CreditNote } | { kind: 'voided'; creditNote: CreditNote };

/** The credit note key of a refund: its provider's id, whichever path records it first. */
export function refundCreditNoteKey(refund: Pick<Refund, 'provider' | 'providerRefundId'>): string {
  return `refund:${refund.provider}:${refund.providerRefundId}`;
}

/**
 * Brings the refund's credit note in step with the refund just recorded or updated (its caller,
 * recordRefundReport, holds the invoice's lock and then the payment's). A pending or succeeded refund
 * of a payment that paid an invoice gets a credit note, once; a failed or canceled one voids it. A
 * refund of a payment that paid no invoice (a checkout) has none.
 *
 * A refund made at the provider beyond what is left to credit (a dashboard refund after a credit to
 * the balance) is recorded all the same, since the money has moved; its credit note is capped at what
 * was left, and the audit log says so.
 */
export async function syncRefundCreditNote(tx: DbOrTx, refund: Refund, options: RefundCreditNoteOptions = {}): Promise<RefundCreditNoteChange | null> {
  const now = options.now ?? new Date();
  const actor = options.actor ?? { type: 'provider', id: refund.provider };
  if (refund.status === 'failed' || refund.status === 'canceled') {
    const [voided] = await tx
      .update(creditNotes)
      .set({ status: 'void', voidedAt: now })
      .where(and(eq(creditNotes.refundId, refund.id), eq(creditNotes.status, 'issued')))
      .returning();
    if (!voided) return null;
    await writeAudit(tx, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'credit_note.voided',
      entityType: 'invoice',
      entityId: voided.invoiceId,
      before: { status: 'issued' },
      after: { creditNoteId: voided.id, number: voided.number, status: 'void' },
      metadata: { reason: `refund ${refund.providerRefundId} ${refund.status}`, failureReason: refund.failureReason },
    });
    return { kind: 'voided', creditNote: voided };
  }

  const [paid] = await tx.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.paymentId, refund.paymentId), eq(invoices.status, 'paid')));
  if (!paid) return null;
  const invoice = (await lockInvoice(tx, paid.id))!;
  const notes = await creditNotesOfInvoice(tx, invoice.id);
  if (notes.some((n) => n.refundId === refund.id)) return null;
  const credited = creditedAmount(notes);
  const left = creditableAmount(invoice, credited);
  const refusal = creditNoteRefusal(invoice, credited, { amount: refund.amount, currency: refund.currency });
  if (refusal && !(refusal.code === 'exceeds_amount_paid' && left > 0)) {
    await writeAudit(tx, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'credit_note.not_issued',
      entityType: 'invoice',
      entityId: invoice.id,
      metadata: { refundId: refund.id, providerRefundId: refund.providerRefundId, refundAmount: refund.amount, why: refusal.message },
    });
    return null;
  }
  const amount = Math.min(refund.amount, left);
  const capNote = amount < refund.amount ? `Refund ${refund.providerRefundId} of ${formatMoney(money(refund.amount, refund.currency))} exceeded what was left to credit on the invoice.` : null;
  const creditNote = await issue(tx, {
    invoice,
    amount,
    reason: options.reason !== undefined ? options.reason : creditNoteReasonOfRefund(refund.reason),
    memo: [options.memo ?? null, capNote].filter(Boolean).join(' ') || null,
    settlement: { kind: 'refund', refundId: refund.id },
    idempotencyKey: refundCreditNoteKey(refund),
    actor,
    now,
    notify: options.notify ?? null,
  });
  return { kind: 'issued', creditNote };
}
