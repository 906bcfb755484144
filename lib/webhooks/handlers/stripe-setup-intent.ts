/** setup_intent.succeeded: re-reads the SetupIntent and saves its card for the customer (default if first). */
import { recordSavedPaymentMethod } from '@/lib/payments/payment-methods';
import { describeOutcome } from '@/lib/payments/records';
import type { StripeEvent, StripeSetupIntent } from '@/lib/payments/stripe/client';
import { cardSummary } from '@/lib/payments/stripe/reports';
import type { DbOrTx } from '@/db/client';
import { applyCheckoutConfirmation, loadCheckoutConfirmation, type CheckoutConfirmation } from '../checkout-link';
import { defineHandler } from '../handler';

export async function saveSetupIntentCard(tx: DbOrTx, intent: StripeSetupIntent): Promise<string> {
  if (intent.status !== 'succeeded') return `setup intent is ${intent.status}; nothing to save`;
  const method = typeof intent.payment_method === 'object' ? intent.payment_method : null;
  const customer = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
  const summary = method ? cardSummary(method) : null;
  if (!method || !customer || !summary) return 'setup intent has no customer or card';
  const outcome = await recordSavedPaymentMethod(tx, { provider: 'stripe', providerCustomerId: customer, providerPaymentMethodId: method.id, summary });
  return describeOutcome('customer for the card', outcome, 'saved');
}

interface Loaded {
  intent: StripeSetupIntent;
  checkout: CheckoutConfirmation | null;
}

/** Also starts the trial of an open checkout the SetupIntent belongs to. */
export const stripeSetupIntentHandler = defineHandler({
  async load(event: StripeEvent, ctx): Promise<Loaded> {
    const intent = await ctx.gateways.stripe.setupIntents.retrieve((event.data.object as { id: string }).id, { expand: ['payment_method'] });
    return { intent, checkout: await loadCheckoutConfirmation(ctx, intent.metadata?.checkoutId) };
  },
  async apply(tx, { intent, checkout }: Loaded, ctx) {
    const fulfilled = await applyCheckoutConfirmation(tx, ctx, checkout, 'stripe');
    // Fulfilment saves the card itself; otherwise save it here.
    return fulfilled ?? (await saveSetupIntentCard(tx, intent));
  },
});
