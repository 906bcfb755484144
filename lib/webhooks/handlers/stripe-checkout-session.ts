/**
 * checkout.session.completed: re-reads the hosted Checkout Session and records what it settled: the
 * payment (payment mode) or the saved card (setup mode). A session the app's checkout started
 * (metadata `checkoutId`) also fulfils that checkout, as the return page would.
 */
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import type { StripeCheckoutSession, StripeEvent, StripePaymentIntent, StripeSetupIntent } from '@/lib/payments/stripe/client';
import { paymentReportFromIntent } from '@/lib/payments/stripe/reports';
import type { DbOrTx } from '@/db/client';
import { applyCheckoutConfirmation, loadCheckoutConfirmation, type CheckoutConfirmation } from '../checkout-link';
import { defineHandler } from '../handler';
import { saveSetupIntentCard } from '@/lib/payments/payment-methods';

interface Loaded {
  session: StripeCheckoutSession;
  checkout: CheckoutConfirmation | null;
}

async function recordSession(tx: DbOrTx, session: StripeCheckoutSession): Promise<string> {
  if (session.status !== 'complete') return `session is ${session.status}; nothing to record`;
  const intent = typeof session.payment_intent === 'object' ? (session.payment_intent as StripePaymentIntent | null) : null;
  if (intent) {
    const outcome = await recordPaymentReport(tx, paymentReportFromIntent(intent));
    return describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  }
  const setup = typeof session.setup_intent === 'object' ? (session.setup_intent as StripeSetupIntent | null) : null;
  return setup ? saveSetupIntentCard(tx, setup) : 'session has neither a payment nor a setup';
}

export const stripeCheckoutSessionHandler = defineHandler({
  async load(event: StripeEvent, ctx): Promise<Loaded> {
    const session = await ctx.gateways.stripe.checkout.sessions.retrieve((event.data.object as { id: string }).id, {
      expand: ['payment_intent.latest_charge', 'setup_intent.payment_method'],
    });
    return { session, checkout: await loadCheckoutConfirmation(ctx, session.metadata?.checkoutId) };
  },
  async apply(tx, { session, checkout }: Loaded, ctx) {
    // Fulfilment records the payment and saves the method itself; otherwise record them here.
    return (await applyCheckoutConfirmation(tx, ctx, checkout, 'stripe')) ?? (await recordSession(tx, session));
  },
});
