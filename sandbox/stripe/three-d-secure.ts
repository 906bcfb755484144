/** Finishing a 3-D Secure challenge: routes the outcome to the PaymentIntent or SetupIntent. */
import type { StripeContext } from './context';
import { find } from './shared';
import type { StripeObject } from './state';
import { finalizeCheckoutForIntent } from './resources/checkout-sessions';
import { completePaymentAuthentication } from './resources/payment-intents';
import { completeSetupAuthentication } from './resources/setup-intents';

export function completeIntentAuthentication(ctx: StripeContext, intentId: string, success: boolean): StripeObject {
  if (intentId.startsWith('seti_')) {
    const si = find(ctx, 'setup_intents', intentId, 'intent');
    completeSetupAuthentication(ctx, si, success);
    finalizeCheckoutForIntent(ctx, si);
    return si;
  }
  const pi = find(ctx, 'payment_intents', intentId, 'intent');
  completePaymentAuthentication(ctx, pi, success);
  finalizeCheckoutForIntent(ctx, pi);
  return pi;
}
