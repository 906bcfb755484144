/**
 * payment_intent.*: re-reads the PaymentIntent and its latest charge and records the payment's state;
 * when the intent belongs to an open checkout, fulfils it too.
 */
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import type { StripeEvent, StripePaymentIntent } from '@/lib/payments/stripe/client';
import { paymentReportFromIntent, retrieveIntentForReport } from '@/lib/payments/stripe/reports';
import { applyCheckoutConfirmation, loadCheckoutConfirmation, withCheckout, type CheckoutConfirmation } from '../checkout-link';
import { defineHandler } from '../handler';

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
    const outcome = await recordPaymentReport(tx, paymentReportFromIntent(intent));
    const payment = describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
    return withCheckout(payment, await applyCheckoutConfirmation(tx, ctx, checkout, 'stripe'));
  },
});
