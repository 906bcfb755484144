/**
 * PAYMENT.CAPTURE.REFUNDED / REVERSED: re-reads the refund and its capture (the refund may arrive before
 * the capture's own event) and records both; a refund of an invoice's payment issues its credit note.
 */
import { fromMajorUnitString } from '@/lib/money';
import { paymentReportFromCapture, retrieveCapture } from '@/lib/payments/paypal/reports';
import { captureIdOfRefund, type PaypalCapture, type PaypalRefund, type PaypalWebhookEvent } from '@/lib/payments/paypal/types';
import { describeOutcome, recordPaymentReport, recordRefundReport } from '@/lib/payments/records';
import { paypalRefundStatus } from '@/lib/payments/status';
import { defineHandler } from '../handler';

interface Loaded {
  refund: PaypalRefund;
  capture: PaypalCapture;
  reversal: boolean;
}

export const paypalRefundHandler = defineHandler({
  async load(event: PaypalWebhookEvent, { gateways }): Promise<Loaded> {
    if (!event.resource.id) throw new Error(`event ${event.id} names no refund`);
    const refund = await gateways.paypal.request<PaypalRefund>('GET', `/v2/payments/refunds/${encodeURIComponent(event.resource.id)}`);
    const captureId = captureIdOfRefund(refund);
    if (!captureId) throw new Error(`refund ${refund.id} names no capture`);
    return { refund, capture: await retrieveCapture(gateways.paypal, captureId), reversal: event.event_type === 'PAYMENT.CAPTURE.REVERSED' };
  },
  async apply(tx, { refund, capture, reversal }: Loaded, ctx) {
    const payment = paymentReportFromCapture(capture);
    if (payment) await recordPaymentReport(tx, payment);
    // A refund of an invoice's payment issues its credit note (emailing the customer), or voids it once failed.
    const outcome = await recordRefundReport(
      tx,
      {
        provider: 'paypal',
        providerChargeId: capture.id,
        providerRefundId: refund.id,
        amount: fromMajorUnitString(refund.amount.value, refund.amount.currency_code),
        currency: refund.amount.currency_code,
        status: paypalRefundStatus(refund.status),
        reason: reversal ? 'reversal' : (refund.note_to_payer ?? null),
        failureReason: refund.status_details?.reason ?? null,
      },
      { notify: ctx, now: ctx.now },
    );
    return describeOutcome('refund', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
