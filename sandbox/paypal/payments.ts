/**
 * Payments v2: show a capture, refund it (full, partial, several; never more than what is left), show a
 * refund; and reversals (a dispute the buyer won), which PayPal reports as PAYMENT.CAPTURE.REVERSED.
 */
import { notFound, unprocessable } from './errors';
import { formatMinor } from './money';
import type { Services } from './services';
import type { CaptureRecord, PaypalState, RefundRecord } from './state';
import { paypalId } from './state';
import { Checker, checkMoneySyntax, moneyMinor, type Json } from './validate';
import type { Emit } from './webhooks';

export function getCapture(svc: Services, id: string): CaptureRecord {
  const c = svc.store.state.captures[id];
  if (!c) throw notFound('capture_id', id);
  return c;
}

export function getRefund(svc: Services, id: string): RefundRecord {
  const r = svc.store.state.refunds[id];
  if (!r) throw notFound('refund_id', id);
  return r;
}

export const remainingMinor = (c: CaptureRecord) => c.amountMinor - c.refundedMinor - c.reversedMinor;

function settle(c: CaptureRecord, now: string): void {
  c.status = remainingMinor(c) === 0 ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  c.updateTime = now;
}

/** `POST /v2/payments/captures/{id}/refund` */
export function refundCapture(svc: Services, captureId: string, body: Json): RefundRecord {
  const capture = getCapture(svc, captureId);
  const c = new Checker();
  const amount = checkMoneySyntax(c, body.amount, '/amount', false);
  const invoiceId = c.string(body, 'invoice_id', '', { max: 127 });
  const customId = c.string(body, 'custom_id', '', { max: 127 });
  const note = c.string(body, 'note_to_payer', '', { max: 255 });
  c.throwIfAny();
  if (capture.status === 'PENDING') throw unprocessable('PENDING_CAPTURE');
  if (capture.status !== 'COMPLETED' && capture.status !== 'PARTIALLY_REFUNDED' && capture.status !== 'REFUNDED') {
    throw unprocessable('REFUND_NOT_ALLOWED');
  }
  const remaining = remainingMinor(capture);
  if (remaining <= 0) throw unprocessable('CAPTURE_FULLY_REFUNDED');
  let minor = remaining;
  if (amount) {
    if (amount.currency_code !== capture.currency) {
      throw unprocessable('REFUND_CAPTURE_CURRENCY_MISMATCH', '/amount/currency_code', amount.currency_code);
    }
    minor = moneyMinor(amount, '/amount');
    if (minor > remaining) throw unprocessable('REFUND_AMOUNT_EXCEEDED', '/amount/value', amount.value);
  }
  const openDispute = capture.disputeIds.some((id) => svc.store.state.disputes[id]?.status !== 'RESOLVED');
  if (openDispute && minor < remaining) throw unprocessable('TRANSACTION_DISPUTED');
  return svc.hooks.mutate((draft, emit) => {
    const refund = addRefund(svc, draft, draft.captures[captureId], minor, { invoiceId, customId, note }, false);
    emit(
      'PAYMENT.CAPTURE.REFUNDED',
      svc.render.refund(refund, draft.captures[captureId]),
      `A $ ${formatMinor(minor, capture.currency)} ${capture.currency} capture payment was refunded`,
    );
    return refund;
  });
}

function addRefund(
  svc: Services,
  draft: PaypalState,
  capture: CaptureRecord,
  minor: number,
  extra: { invoiceId?: string; customId?: string; note?: string },
  reversal: boolean,
): RefundRecord {
  const now = svc.now();
  const refund: RefundRecord = {
    id: paypalId(17),
    captureId: capture.id,
    amountMinor: minor,
    currency: capture.currency,
    status: 'COMPLETED',
    createTime: now,
    updateTime: now,
    ...(extra.invoiceId ? { invoice_id: extra.invoiceId } : {}),
    ...(extra.customId ? { custom_id: extra.customId } : {}),
    ...(extra.note ? { note_to_payer: extra.note } : {}),
    ...(reversal ? { reversal: true } : {}),
  };
  draft.refunds[refund.id] = refund;
  capture.refundIds.push(refund.id);
  if (reversal) capture.reversedMinor += minor;
  else capture.refundedMinor += minor;
  settle(capture, now);
  return refund;
}

/** PayPal takes money back from the merchant (dispute lost, chargeback). Up to what is left. */
export function reverseCapture(svc: Services, draft: PaypalState, captureId: string, minor: number, emit: Emit): RefundRecord | null {
  const capture = draft.captures[captureId];
  const amount = Math.min(minor, remainingMinor(capture));
  if (amount <= 0) return null;
  const reversal = addRefund(svc, draft, capture, amount, { note: 'Payment reversed' }, true);
  emit(
    'PAYMENT.CAPTURE.REVERSED',
    svc.render.refund(reversal, capture),
    `A $ ${formatMinor(amount, capture.currency)} ${capture.currency} capture payment was reversed`,
  );
  return reversal;
}
