/** Turning Stripe objects into the app's payment reports (see lib/payments/records.ts). */
import type Stripe from 'stripe';
import type { PaymentReport } from '../records';
import { stripePaymentIntentStatus } from '../status';

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
