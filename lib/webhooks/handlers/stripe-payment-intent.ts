/** payment_intent.*: re-reads the PaymentIntent and its latest charge, and records the payment's state. */
import type { StripeEvent, StripePaymentIntent } from '@/lib/payments/stripe/client';
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import { paymentReportFromIntent, retrieveIntentForReport } from '@/lib/payments/stripe/reports';
import { defineHandler } from '../handler';

export const stripePaymentIntentHandler = defineHandler({
  load: (event: StripeEvent, { gateways }) => retrieveIntentForReport(gateways.stripe, (event.data.object as { id: string }).id),
  async apply(tx, intent: StripePaymentIntent) {
    const outcome = await recordPaymentReport(tx, paymentReportFromIntent(intent));
    return describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
