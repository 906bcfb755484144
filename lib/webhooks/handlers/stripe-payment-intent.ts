/** payment_intent.*: re-reads the PaymentIntent and its latest charge, and records the payment's state. */
import type Stripe from 'stripe';
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import { paymentReportFromIntent, retrieveIntentForReport } from '@/lib/payments/stripe/reports';
import { defineHandler } from '../handler';

export const stripePaymentIntentHandler = defineHandler({
  load: (event: Stripe.Event, { gateways }) => retrieveIntentForReport(gateways.stripe, (event.data.object as { id: string }).id),
  async apply(tx, intent: Stripe.PaymentIntent) {
    const outcome = await recordPaymentReport(tx, paymentReportFromIntent(intent));
    return describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
