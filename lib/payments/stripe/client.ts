/** The Stripe SDK client: real Stripe, or the local sandbox through the SDK's host/port/protocol options. */
import Stripe from 'stripe';
import type { AppConfig } from '@/lib/config';

export type StripeClient = Stripe;

export function createStripeClient(config: Pick<AppConfig, 'stripe'>): Stripe {
  const base = config.stripe.apiBase ? new URL(config.stripe.apiBase) : null;
  return new Stripe(config.stripe.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'billing-app' },
    ...(base ? { host: base.hostname, port: Number(base.port || 80), protocol: base.protocol.replace(':', '') as 'http' | 'https' } : {}),
  });
}

// Stripe's object types, for code outside lib/payments that reads them (the SDK itself stays here).
export type StripeEvent = Stripe.Event;
export type StripePaymentIntent = Stripe.PaymentIntent;
export type StripeRefund = Stripe.Refund;
export type StripeDispute = Stripe.Dispute;
export type StripeSetupIntent = Stripe.SetupIntent;
export type StripePaymentMethod = Stripe.PaymentMethod;
export type StripeCheckoutSession = Stripe.Checkout.Session;
