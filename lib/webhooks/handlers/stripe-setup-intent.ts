/** setup_intent.succeeded: re-reads the SetupIntent and saves its card for the customer (default if first). */
import { recordSavedPaymentMethod } from '@/lib/payments/payment-methods';
import { describeOutcome } from '@/lib/payments/records';
import type { StripeEvent, StripeSetupIntent } from '@/lib/payments/stripe/client';
import { cardSummary } from '@/lib/payments/stripe/reports';
import type { DbOrTx } from '@/db/client';
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

export const stripeSetupIntentHandler = defineHandler({
  load: (event: StripeEvent, { gateways }) =>
    gateways.stripe.setupIntents.retrieve((event.data.object as { id: string }).id, { expand: ['payment_method'] }),
  apply: (tx, intent: StripeSetupIntent) => saveSetupIntentCard(tx, intent),
});
