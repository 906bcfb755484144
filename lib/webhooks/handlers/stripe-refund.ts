/**
 * charge.refunded, charge.refund.updated, refund.*: re-reads the charge's PaymentIntent (the refund may
 * arrive before the payment's own success event) and every refund of the charge, and records them all,
 * with the credit notes of those that refund an invoice's payment.
 */
import type { StripeEvent, StripePaymentIntent, StripeRefund } from '@/lib/payments/stripe/client';
import { describeOutcome, recordPaymentReport, recordRefundReport } from '@/lib/payments/records';
import { paymentReportFromIntent, refundReportFromStripe, retrieveIntentForReport } from '@/lib/payments/stripe/reports';
import { defineHandler } from '../handler';

interface Loaded {
  chargeId: string;
  intent: StripePaymentIntent | null;
  refunds: StripeRefund[];
}

export const stripeRefundHandler = defineHandler({
  async load(event: StripeEvent, { gateways }): Promise<Loaded> {
    const object = event.data.object as { object: string; id: string; charge?: string | { id: string } | null };
    const chargeId = object.object === 'charge' ? object.id : typeof object.charge === 'string' ? object.charge : object.charge?.id;
    if (!chargeId) throw new Error(`refund event ${event.id} names no charge`);
    const charge = await gateways.stripe.charges.retrieve(chargeId);
    const intentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    const [intent, list] = await Promise.all([
      intentId ? retrieveIntentForReport(gateways.stripe, intentId) : null,
      gateways.stripe.refunds.list({ charge: chargeId, limit: 100 }),
    ]);
    return { chargeId, intent, refunds: list.data };
  },
  async apply(tx, { chargeId, intent, refunds }: Loaded, ctx) {
    if (intent) await recordPaymentReport(tx, paymentReportFromIntent(intent));
    const outcomes: string[] = [];
    for (const refund of refunds) {
      // A refund of an invoice's payment issues its credit note (emailing the customer), or voids it once failed.
      const outcome = await recordRefundReport(tx, refundReportFromStripe(chargeId, refund), { notify: ctx, now: ctx.now });
      if (outcome.kind === 'unknown') return 'no local payment for the charge';
      outcomes.push(describeOutcome(`refund ${refund.id}`, outcome, outcome.record.status));
    }
    return outcomes.join('; ') || 'no refunds on the charge';
  },
});
