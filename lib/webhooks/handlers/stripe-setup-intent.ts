/**
 * setup_intent.succeeded: re-reads the SetupIntent and saves its card for the customer (default if
 * first); a card added in the billing portal becomes the default and pays what failed (card-update).
 */
import { adoptUpdatedCard, CARD_UPDATE_PURPOSE } from '@/lib/customers/card-update';
import { saveSetupIntentCard } from '@/lib/payments/payment-methods';
import type { StripeEvent, StripeSetupIntent } from '@/lib/payments/stripe/client';
import { applyCheckoutConfirmation, loadCheckoutConfirmation, type CheckoutConfirmation } from '../checkout-link';
import { defineHandler } from '../handler';

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
    if (fulfilled) return fulfilled;
    if (intent.metadata?.purpose === CARD_UPDATE_PURPOSE && intent.status === 'succeeded') {
      const adopted = await adoptUpdatedCard(tx, ctx.boss, intent, { type: 'provider', id: 'stripe' });
      return `${adopted.saved}; made default, ${adopted.retriedInvoices} failed invoice(s) retried`;
    }
    return saveSetupIntentCard(tx, intent);
  },
});
