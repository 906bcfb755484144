/**
 * payment_intent.*: re-reads the PaymentIntent and its latest charge and records the payment's state;
 * when the intent belongs to an open checkout, fulfils it too; when it pays an invoice, settles it.
 */
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import type { StripeEvent, StripePaymentIntent } from '@/lib/payments/stripe/client';
import { paymentReportFromIntent, retrieveIntentForReport } from '@/lib/payments/stripe/reports';
import { applyCheckoutConfirmation, loadCheckoutConfirmation, withCheckout, type CheckoutConfirmation } from '../checkout-link';
import { defineHandler } from '../handler';
import { settleInvoicePayment } from '@/lib/invoices/charge';
import { lockCheckout } from '@/lib/checkout/fulfil';
import { z } from 'zod';

interface Loaded {
  intent: StripePaymentIntent;
  checkout: CheckoutConfirmation | null;
}

export const stripePaymentIntentHandler = defineHandler({
  async load(event: StripeEvent, ctx): Promise<Loaded> {
    const intent = await retrieveIntentForReport(ctx.gateways.stripe, (event.data.object as { id: string }).id);
    return { intent, checkout: await loadCheckoutConfirmation(ctx, intent.metadata?.checkoutId) };
  },
  async apply(tx, { intent, checkout }: Loaded, ctx) {
    const report = paymentReportFromIntent(intent);
    // A renewal's PaymentIntent (metadata invoiceId) settles its invoice, however it got confirmed.
    const invoiceId = z.uuid().safeParse(intent.metadata?.invoiceId);
    if (invoiceId.success) return `invoice: ${await settleInvoicePayment(tx, ctx, invoiceId.data, report, ctx.now)}`;
    // The checkout before its payment, fulfilment's lock order: the return page may be fulfilling it now.
    if (checkout) await lockCheckout(tx, checkout.checkoutId);
    const outcome = await recordPaymentReport(tx, report);
    const payment = describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
    return withCheckout(payment, await applyCheckoutConfirmation(tx, ctx, checkout, 'stripe'));
  },
});
