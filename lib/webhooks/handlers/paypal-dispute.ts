/** CUSTOMER.DISPUTE.*: re-reads the dispute and records it against the disputed capture's payment. */
import { fromMajorUnitString } from '@/lib/money';
import { paymentReportFromCapture, retrieveCapture } from '@/lib/payments/paypal/reports';
import type { PaypalCapture, PaypalDispute, PaypalWebhookEvent } from '@/lib/payments/paypal/types';
import { describeOutcome, recordDisputeReport, recordPaymentReport } from '@/lib/payments/records';
import { paypalDisputeStatus } from '@/lib/payments/status';
import { defineHandler } from '../handler';

export const paypalDisputeHandler = defineHandler({
  async load(event: PaypalWebhookEvent, { gateways }) {
    const id = event.resource.dispute_id ?? event.resource.id;
    if (!id) throw new Error(`event ${event.id} names no dispute`);
    const dispute = await gateways.paypal.request<PaypalDispute>('GET', `/v1/customer/disputes/${encodeURIComponent(id)}`);
    const captureId = dispute.disputed_transactions?.[0]?.seller_transaction_id;
    return { dispute, capture: captureId ? await retrieveCapture(gateways.paypal, captureId) : null };
  },
  async apply(tx, { dispute, capture }: { dispute: PaypalDispute; capture: PaypalCapture | null }, { now }) {
    if (!capture) return 'dispute names no capture';
    const payment = paymentReportFromCapture(capture);
    if (payment) await recordPaymentReport(tx, payment);
    const captureId = capture.id;
    const outcome = await recordDisputeReport(
      tx,
      {
        provider: 'paypal',
        providerChargeId: captureId,
        providerDisputeId: dispute.dispute_id,
        amount: fromMajorUnitString(dispute.dispute_amount.value, dispute.dispute_amount.currency_code),
        currency: dispute.dispute_amount.currency_code,
        status: paypalDisputeStatus(dispute.status, dispute.dispute_outcome?.outcome_code),
        reason: dispute.reason ?? null,
        evidenceDueBy: dispute.seller_response_due_date ? new Date(dispute.seller_response_due_date) : null,
      },
      now,
    );
    return describeOutcome('dispute', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
