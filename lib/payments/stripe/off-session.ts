/** An off-session card charge (renewals): the PaymentIntent's outcome as a payment report, declines included. */
import Stripe from 'stripe';
import type { PaymentReport } from '@/lib/payments/records';
import { paymentReportFromIntent, retrieveIntentForReport } from './reports';

export async function chargeCardOffSession(
  stripe: Stripe,
  params: { amount: number; currency: string; customer: string; paymentMethod: string; description: string; metadata: Record<string, string> },
  idempotencyKey: string,
): Promise<PaymentReport> {
  const expand = ['latest_charge', 'payment_method'];
  try {
    const intent = await stripe.paymentIntents.create(
      {
        amount: params.amount,
        currency: params.currency.toLowerCase(),
        customer: params.customer,
        payment_method: params.paymentMethod,
        off_session: true,
        confirm: true,
        description: params.description,
        metadata: params.metadata,
        expand,
      },
      { idempotencyKey },
    );
    return paymentReportFromIntent(intent);
  } catch (error) {
    // A decline, or a bank asking for the customer: the error names the PaymentIntent.
    const failed = error instanceof Stripe.errors.StripeError ? (error.raw as { payment_intent?: { id: string } }).payment_intent : undefined;
    if (!failed) throw error;
    const report = paymentReportFromIntent(await stripe.paymentIntents.retrieve(failed.id, { expand }));
    // Stripe leaves such an intent requiring a payment method; the customer confirms it on the invoice's pay page.
    return (error as Stripe.errors.StripeError).code === 'authentication_required' ? { ...report, status: 'requires_action' } : report;
  }
}

/**
 * Cancels a PaymentIntent still waiting for the customer (3-D Secure on an invoice being voided), so
 * it can no longer take money. Returns its state afterwards: canceled, or, when the customer paid
 * first (Stripe refuses to cancel), succeeded.
 */
export async function cancelWaitingIntent(stripe: Stripe, intentId: string): Promise<PaymentReport> {
  try {
    return paymentReportFromIntent(await stripe.paymentIntents.cancel(intentId, { expand: ['latest_charge', 'payment_method'] }));
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
    return paymentReportFromIntent(await retrieveIntentForReport(stripe, intentId));
  }
}
