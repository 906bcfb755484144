/** Every event type the app processes, keyed `provider:type`, each with its handler. */
import type { WebhookHandler } from './handler';
import { paypalCaptureHandler } from './handlers/paypal-capture';
import { paypalDisputeHandler } from './handlers/paypal-dispute';
import { paypalOrderHandler } from './handlers/paypal-order';
import { paypalRefundHandler } from './handlers/paypal-refund';
import { paypalVaultTokenHandler } from './handlers/paypal-vault-token';
import { stripeCheckoutSessionHandler } from './handlers/stripe-checkout-session';
import { stripeDisputeHandler } from './handlers/stripe-dispute';
import { stripePaymentIntentHandler } from './handlers/stripe-payment-intent';
import { stripeRefundHandler } from './handlers/stripe-refund';
import { stripeSetupIntentHandler } from './handlers/stripe-setup-intent';

const HANDLERS: Record<string, WebhookHandler> = {
  'stripe:payment_intent.succeeded': stripePaymentIntentHandler,
  'stripe:payment_intent.processing': stripePaymentIntentHandler,
  'stripe:payment_intent.payment_failed': stripePaymentIntentHandler,
  'stripe:payment_intent.requires_action': stripePaymentIntentHandler,
  'stripe:payment_intent.canceled': stripePaymentIntentHandler,
  'stripe:charge.refunded': stripeRefundHandler,
  'stripe:charge.refund.updated': stripeRefundHandler,
  'stripe:refund.created': stripeRefundHandler,
  'stripe:refund.updated': stripeRefundHandler,
  'stripe:refund.failed': stripeRefundHandler,
  'stripe:charge.dispute.created': stripeDisputeHandler,
  'stripe:charge.dispute.updated': stripeDisputeHandler,
  'stripe:charge.dispute.closed': stripeDisputeHandler,
  'stripe:setup_intent.succeeded': stripeSetupIntentHandler,
  'stripe:checkout.session.completed': stripeCheckoutSessionHandler,
  'paypal:CHECKOUT.ORDER.APPROVED': paypalOrderHandler,
  'paypal:PAYMENT.CAPTURE.COMPLETED': paypalCaptureHandler,
  'paypal:PAYMENT.CAPTURE.DENIED': paypalCaptureHandler,
  'paypal:PAYMENT.CAPTURE.PENDING': paypalCaptureHandler,
  'paypal:PAYMENT.CAPTURE.REFUNDED': paypalRefundHandler,
  'paypal:PAYMENT.CAPTURE.REVERSED': paypalRefundHandler,
  'paypal:CUSTOMER.DISPUTE.CREATED': paypalDisputeHandler,
  'paypal:CUSTOMER.DISPUTE.UPDATED': paypalDisputeHandler,
  'paypal:CUSTOMER.DISPUTE.RESOLVED': paypalDisputeHandler,
  'paypal:VAULT.PAYMENT-TOKEN.CREATED': paypalVaultTokenHandler,
  'paypal:VAULT.PAYMENT-TOKEN.DELETED': paypalVaultTokenHandler,
};

export function handlerFor(provider: 'stripe' | 'paypal', type: string): WebhookHandler | undefined {
  return HANDLERS[`${provider}:${type}`];
}

export function hasHandler(provider: 'stripe' | 'paypal', type: string): boolean {
  return handlerFor(provider, type) !== undefined;
}

export const HANDLED_EVENT_TYPES = Object.keys(HANDLERS);
