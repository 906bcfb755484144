/**
 * checkout.session.completed: re-reads the hosted Checkout Session and records what it settled: the
 * payment (payment mode) or the saved card (setup mode). Fulfilment itself belongs to checkout.
 */
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import type { StripeCheckoutSession, StripeEvent, StripePaymentIntent, StripeSetupIntent } from '@/lib/payments/stripe/client';
import { paymentReportFromIntent } from '@/lib/payments/stripe/reports';
import { defineHandler } from '../handler';
import { saveSetupIntentCard } from './stripe-setup-intent';

export const stripeCheckoutSessionHandler = defineHandler({
  load: (event: StripeEvent, { gateways }) =>
    gateways.stripe.checkout.sessions.retrieve((event.data.object as { id: string }).id, {
      expand: ['payment_intent.latest_charge', 'setup_intent.payment_method'],
    }),
  async apply(tx, session: StripeCheckoutSession) {
    if (session.status !== 'complete') return `session is ${session.status}; nothing to record`;
    const intent = typeof session.payment_intent === 'object' ? (session.payment_intent as StripePaymentIntent | null) : null;
    if (intent) {
      const outcome = await recordPaymentReport(tx, paymentReportFromIntent(intent));
      return describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
    }
    const setup = typeof session.setup_intent === 'object' ? (session.setup_intent as StripeSetupIntent | null) : null;
    return setup ? saveSetupIntentCard(tx, setup) : 'session has neither a payment nor a setup';
  },
});
