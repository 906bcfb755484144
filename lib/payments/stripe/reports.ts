/** Turning Stripe objects into the app's payment and refund reports (see lib/payments/records.ts). */
import type Stripe from 'stripe';
import type { PaymentMethodSummary } from '@/db/schema';
import type { PaymentReport, RefundReport } from '../records';
import { stripePaymentIntentStatus, stripeRefundStatus } from '../status';

/** The PaymentIntent must have been retrieved with `expand: ['latest_charge']`. */
export function paymentReportFromIntent(intent: Stripe.PaymentIntent): PaymentReport {
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const card = charge?.payment_method_details?.card;
  return {
    provider: 'stripe',
    providerPaymentId: intent.id,
    status: stripePaymentIntentStatus(intent.status, Boolean(intent.last_payment_error)),
    providerChargeId: charge?.id ?? (typeof intent.latest_charge === 'string' ? intent.latest_charge : null),
    failureCode: intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? null,
    failureMessage: intent.last_payment_error?.message ?? null,
    paymentMethod: card ? { type: 'card', brand: card.brand ?? 'card', last4: card.last4 ?? '', expMonth: card.exp_month ?? 0, expYear: card.exp_year ?? 0 } : null,
  };
}

export function retrieveIntentForReport(stripe: Stripe, id: string): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] });
}

export function refundReportFromStripe(chargeId: string, refund: Stripe.Refund): RefundReport {
  return {
    provider: 'stripe',
    providerChargeId: chargeId,
    providerRefundId: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status: stripeRefundStatus(refund.status),
    reason: refund.reason ?? null,
    failureReason: refund.failure_reason ?? null,
  };
}

/** The display summary of a card PaymentMethod (brand, last 4, expiry: never the number). */
export function cardSummary(method: Stripe.PaymentMethod): PaymentMethodSummary | null {
  const card = method.card;
  return card ? { type: 'card', brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year } : null;
}
