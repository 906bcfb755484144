/**
 * CHECKOUT.ORDER.APPROVED: re-reads the order. Approval is not payment: when the order belongs to an
 * open checkout, fulfilment captures it (once, keyed by the checkout) as the return page would, for a
 * buyer who approved and never came back; otherwise the payment stays pending until a capture.
 */
import { paymentReportFromCapture, retrieveCapture } from '@/lib/payments/paypal/reports';
import type { PaypalCapture, PaypalWebhookEvent } from '@/lib/payments/paypal/types';
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import { applyCheckoutConfirmation, loadCheckoutConfirmation, type CheckoutConfirmation } from '../checkout-link';
import { defineHandler } from '../handler';

interface Loaded {
  order: PaypalOrder;
  capture: PaypalCapture | null;
  checkout: CheckoutConfirmation | null;
}

interface PaypalOrder {
  id: string;
  status: string;
  purchase_units?: Array<{ custom_id?: string; payments?: { captures?: Array<{ id: string }> } }>;
}

export const paypalOrderHandler = defineHandler({
  async load(event: PaypalWebhookEvent, ctx): Promise<Loaded> {
    if (!event.resource.id) throw new Error(`event ${event.id} names no order`);
    const order = await ctx.gateways.paypal.request<PaypalOrder>('GET', `/v2/checkout/orders/${encodeURIComponent(event.resource.id)}`);
    const checkout = await loadCheckoutConfirmation(ctx, order.purchase_units?.[0]?.custom_id);
    const captureId = order.purchase_units?.[0]?.payments?.captures?.[0]?.id;
    return { order, checkout, capture: !checkout && captureId ? await retrieveCapture(ctx.gateways.paypal, captureId) : null };
  },
  async apply(tx, { order, capture, checkout }: Loaded, ctx) {
    const fulfilled = await applyCheckoutConfirmation(tx, ctx, checkout, 'paypal');
    if (fulfilled) return fulfilled;
    const report = capture ? paymentReportFromCapture(capture) : null;
    if (!report) return `order ${order.status.toLowerCase()}; awaiting capture`;
    const outcome = await recordPaymentReport(tx, report);
    return describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
