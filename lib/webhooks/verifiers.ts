/** The signature check of each provider's endpoint, built from the settings. */
import type { AppConfig } from '@/lib/config';
import { transmissionFromHeaders, trustedPaypalCertOrigins, verifyPaypalWebhook } from '@/lib/payments/paypal/webhook-signature';
import { verifyStripeWebhook } from '@/lib/payments/stripe/webhook-signature';
import { WebhookRejected, type Verifier } from './endpoint';

export function stripeVerifier(config: Pick<AppConfig, 'stripe'>): Verifier {
  return async (rawBody, request) => {
    const signature = request.headers.get('stripe-signature');
    if (!signature) throw new WebhookRejected('missing Stripe-Signature header');
    return verifyStripeWebhook(rawBody, signature, config.stripe.webhookSecret);
  };
}

export function paypalVerifier(config: Pick<AppConfig, 'paypal'>): Verifier {
  const trustedCertOrigins = trustedPaypalCertOrigins(config.paypal.apiBase);
  return async (rawBody, request) => {
    const transmission = transmissionFromHeaders(request.headers);
    if (!transmission) throw new WebhookRejected('missing PayPal transmission headers');
    return verifyPaypalWebhook(rawBody, transmission, { webhookId: config.paypal.webhookId, trustedCertOrigins });
  };
}
