/**
 * CHECKOUT.ORDER.APPROVED: re-reads the order. Approval is not payment: the payment stays pending until
 * the capture (made by checkout on the buyer's return) completes; this records what PayPal now says.
 */
import { paymentReportFromCapture, retrieveCapture } from '@/lib/payments/paypal/reports';
import type { PaypalCapture, PaypalWebhookEvent } from '@/lib/payments/paypal/types';
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import { defineHandler } from '../handler';

interface PaypalOrder {
  id: string;
  status: string;
  purchase_units?: Array<{ payments?: { captures?: Array<{ id: string }> } }>;
}

export const paypalOrderHandler = defineHandler({
  async load(event: PaypalWebhookEvent, { gateways }) {
    if (!event.resource.id) throw new Error(`event ${event.id} names no order`);
    const order = await gateways.paypal.request<PaypalOrder>('GET', `/v2/checkout/orders/${encodeURIComponent(event.resource.id)}`);
    const captureId = order.purchase_units?.[0]?.payments?.captures?.[0]?.id;
    return { order, capture: captureId ? await retrieveCapture(gateways.paypal, captureId) : null };
  },
  async apply(tx, { order, capture }: { order: PaypalOrder; capture: PaypalCapture | null }) {
    const report = capture ? paymentReportFromCapture(capture) : null;
    if (!report) return `order ${order.status.toLowerCase()}; awaiting capture`;
    const outcome = await recordPaymentReport(tx, report);
    return describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
