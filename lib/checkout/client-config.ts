/** What the browser needs to load the payment providers' scripts: public keys and, in sandbox mode, the stand-ins' URLs. */
import type { AppConfig } from '@/lib/config';

export interface PaymentClientConfig {
  stripePublishableKey: string;
  /** The sandbox's Stripe.js, loaded before @stripe/stripe-js (which then uses it); null loads js.stripe.com. */
  stripeJsUrl: string | null;
  paypalClientId: string;
  /** The sandbox's PayPal JS SDK; null loads PayPal's. */
  paypalSdkBaseUrl: string | null;
}

export function paymentClientConfig(config: AppConfig): PaymentClientConfig {
  return {
    stripePublishableKey: config.stripe.publishableKey,
    stripeJsUrl: config.sandbox ? `${config.sandbox.origin}/v3/` : null,
    paypalClientId: config.paypal.clientId,
    paypalSdkBaseUrl: config.paypal.sdkBase,
  };
}
