/**
 * Recording what a provider reports about a payment, its refunds and its disputes. Used by webhook
 * processing, by the return page's re-fetch and by reconciliation alike, so every path applies the
 * same rules. Each change writes the audit log; a report that changes nothing writes nothing.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { disputes, invoices, payments, refunds, type Dispute, type Payment, type PaymentMethodSummary, type Refund } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { lockInvoice, syncRefundCreditNote, type RefundCreditNoteOptions } from '@/lib/invoices/credit-notes';
import { nextPaymentStatus, type DisputeStatus, type PaymentStatus, type RefundStatus } from './status';

type Provider = Payment['provider'];

export interface PaymentReport {
  provider: Provider;
  providerPaymentId: string;
  status: PaymentStatus;
  providerChargeId?: string | null;
  failureCode?: string | null;
  failureMessage?: string | null;
  paymentMethod?: PaymentMethodSummary | null;
}

export type RecordOutcome<T> = { kind: 'unknown' } | { kind: 'unchanged'; record: T } | { kind: 'changed'; record: T; before: Partial<T> };

/** A one-line account of what a report did, kept on the webhook event as its outcome. */
export function describeOutcome<T>(noun: string, outcome: RecordOutcome<T>, detail: string): string {
  if (outcome.kind === 'unknown') return `no local ${noun}`;
  return `${noun} ${outcome.kind === 'changed' ? 'now' : 'already'} ${detail}`;
}

/** Equality for small JSON values whatever their key order (jsonb does not keep it). */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)).map(([k, x]) => [k, canonical(x)]))
      : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Locks the payment row, so concurrent reports about one payment apply one after the other; first the
 * row of the invoice it paid, if any. An invoice before its payment is the order charges, voids and
 * refunds all take them in, so a refund and a late settlement of one invoice wait instead of deadlocking.
 */
async function lockPayment(tx: DbOrTx, where: ReturnType<typeof eq>): Promise<Payment | undefined> {
  const paid = await tx.select({ id: invoices.id }).from(invoices).innerJoin(payments, eq(payments.id, invoices.paymentId)).where(where).orderBy(asc(invoices.id));
  for (const invoice of paid) await lockInvoice(tx, invoice.id);
  const [row] = await tx.select().from(payments).where(where).for('update');
  return row;
}

export async function recordPaymentReport(tx: DbOrTx, report: PaymentReport): Promise<RecordOutcome<Payment>> {
  const payment = await lockPayment(tx, and(eq(payments.provider, report.provider), eq(payments.providerPaymentId, report.providerPaymentId))!);
  if (!payment) return { kind: 'unknown' };
  const status = nextPaymentStatus(payment.status, report.status);
  const final = status !== report.status; // a stale report about a payment already final
  const changes: Partial<Payment> = {};
  if (status !== payment.status) changes.status = status;
  if (!final) {
    if (report.providerChargeId && report.providerChargeId !== payment.providerChargeId) changes.providerChargeId = report.providerChargeId;
    if (report.paymentMethod && !sameJson(report.paymentMethod, payment.paymentMethod)) changes.paymentMethod = report.paymentMethod;
    const failureCode = status === 'failed' ? (report.failureCode ?? null) : null;
    const failureMessage = status === 'failed' ? (report.failureMessage ?? null) : null;
    if (failureCode !== payment.failureCode) changes.failureCode = failureCode;
    if (failureMessage !== payment.failureMessage) changes.failureMessage = failureMessage;
  }
  if (Object.keys(changes).length === 0) return { kind: 'unchanged', record: payment };
  const [updated] = await tx
    .update(payments)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(payments.id, payment.id))
    .returning();
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, payment[k as keyof Payment]])) as Partial<Payment>;
  await writeAudit(tx, { actorType: 'provider', actorId: report.provider, action: 'payment.updated', entityType: 'payment', entityId: payment.id, before, after: changes });
  return { kind: 'changed', record: updated, before };
}

export interface RefundReport {
  provider: Provider;
  providerChargeId: string;
  providerRefundId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason?: string | null;
  failureReason?: string | null;
}

/**
 * Records a refund's state. A refund new or changed here also issues or voids its credit note when the
 * payment paid an invoice (lib/invoices/credit-notes), in this same transaction, whichever path reports
 * the refund first: its webhook, reconciliation, or the admin who made it.
 */
export async function recordRefundReport(tx: DbOrTx, report: RefundReport, creditNote: RefundCreditNoteOptions = {}): Promise<RecordOutcome<Refund>> {
  const payment = await lockPayment(tx, and(eq(payments.provider, report.provider), eq(payments.providerChargeId, report.providerChargeId))!);
  if (!payment) return { kind: 'unknown' };
  const [existing] = await tx
    .select()
    .from(refunds)
    .where(and(eq(refunds.provider, report.provider), eq(refunds.providerRefundId, report.providerRefundId)));
  const values = { status: report.status, reason: report.reason ?? null, failureReason: report.failureReason ?? null };
  if (!existing) {
    const [created] = await tx
      .insert(refunds)
      .values({ paymentId: payment.id, provider: report.provider, providerRefundId: report.providerRefundId, amount: report.amount, currency: report.currency.toUpperCase(), ...values })
      .returning();
    await writeAudit(tx, { actorType: 'provider', actorId: report.provider, action: 'refund.recorded', entityType: 'refund', entityId: created.id, after: created });
    await syncRefundCreditNote(tx, created, creditNote);
    return { kind: 'changed', record: created, before: {} };
  }
  // A refund's final states are final; a later report of an earlier state changes nothing.
  const final = existing.status === 'failed' || existing.status === 'canceled' || (existing.status === 'succeeded' && report.status === 'pending');
  if (final || (existing.status === values.status && existing.failureReason === values.failureReason)) return { kind: 'unchanged', record: existing };
  const [updated] = await tx.update(refunds).set({ ...values, updatedAt: new Date() }).where(eq(refunds.id, existing.id)).returning();
  await writeAudit(tx, {
    actorType: 'provider',
    actorId: report.provider,
    action: 'refund.updated',
    entityType: 'refund',
    entityId: existing.id,
    before: { status: existing.status },
    after: { status: updated.status, failureReason: updated.failureReason },
  });
  await syncRefundCreditNote(tx, updated, creditNote);
  return { kind: 'changed', record: updated, before: { status: existing.status } };
}

export interface DisputeReport {
  provider: Provider;
  providerChargeId: string;
  providerDisputeId: string;
  amount: number;
  currency: string;
  status: DisputeStatus;
  reason?: string | null;
  evidenceDueBy?: Date | null;
}

export async function recordDisputeReport(tx: DbOrTx, report: DisputeReport, now: Date): Promise<RecordOutcome<Dispute>> {
  const payment = await lockPayment(tx, and(eq(payments.provider, report.provider), eq(payments.providerChargeId, report.providerChargeId))!);
  if (!payment) return { kind: 'unknown' };
  const [existing] = await tx
    .select()
    .from(disputes)
    .where(and(eq(disputes.provider, report.provider), eq(disputes.providerDisputeId, report.providerDisputeId)));
  const closed = report.status === 'won' || report.status === 'lost';
  if (!existing) {
    const [created] = await tx
      .insert(disputes)
      .values({
        paymentId: payment.id,
        provider: report.provider,
        providerDisputeId: report.providerDisputeId,
        amount: report.amount,
        currency: report.currency.toUpperCase(),
        status: report.status,
        reason: report.reason ?? null,
        evidenceDueBy: report.evidenceDueBy ?? null,
        closedAt: closed ? now : null,
      })
      .returning();
    await writeAudit(tx, { actorType: 'provider', actorId: report.provider, action: 'dispute.opened', entityType: 'dispute', entityId: created.id, after: created });
    return { kind: 'changed', record: created, before: {} };
  }
  const wasClosed = existing.status === 'won' || existing.status === 'lost';
  if (wasClosed || existing.status === report.status) return { kind: 'unchanged', record: existing };
  const [updated] = await tx
    .update(disputes)
    .set({ status: report.status, evidenceDueBy: report.evidenceDueBy ?? existing.evidenceDueBy, closedAt: closed ? now : null, updatedAt: now })
    .where(eq(disputes.id, existing.id))
    .returning();
  await writeAudit(tx, {
    actorType: 'provider',
    actorId: report.provider,
    action: closed ? 'dispute.closed' : 'dispute.updated',
    entityType: 'dispute',
    entityId: existing.id,
    before: { status: existing.status },
    after: { status: updated.status },
  });
  return { kind: 'changed', record: updated, before: { status: existing.status } };
}
