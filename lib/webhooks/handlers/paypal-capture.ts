/** PAYMENT.CAPTURE.COMPLETED / DENIED / PENDING: re-reads the capture and records its order's payment. */
import type { PaypalCapture, PaypalWebhookEvent } from '@/lib/payments/paypal/types';
import { paymentReportFromCapture, retrieveCapture } from '@/lib/payments/paypal/reports';
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import { defineHandler } from '../handler';

export const paypalCaptureHandler = defineHandler({
  async load(event: PaypalWebhookEvent, { gateways }) {
    if (!event.resource.id) throw new Error(`event ${event.id} names no capture`);
    return retrieveCapture(gateways.paypal, event.resource.id);
  },
  async apply(tx, capture: PaypalCapture) {
    const report = paymentReportFromCapture(capture);
    if (!report) return 'capture names no order';
    const outcome = await recordPaymentReport(tx, report);
    return describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
