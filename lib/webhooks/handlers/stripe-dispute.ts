/** charge.dispute.*: re-reads the dispute (and its payment, which it may precede) and records its state. */
import type { StripeEvent, StripePaymentIntent, StripeDispute } from '@/lib/payments/stripe/client';
import { describeOutcome, recordDisputeReport, recordPaymentReport } from '@/lib/payments/records';
import { paymentReportFromIntent, retrieveIntentForReport } from '@/lib/payments/stripe/reports';
import { stripeDisputeStatus } from '@/lib/payments/status';
import { defineHandler } from '../handler';

interface Loaded {
  dispute: StripeDispute;
  intent: StripePaymentIntent | null;
}

export const stripeDisputeHandler = defineHandler({
  async load(event: StripeEvent, { gateways }): Promise<Loaded> {
    const dispute = await gateways.stripe.disputes.retrieve((event.data.object as { id: string }).id);
    const intentId = typeof dispute.payment_intent === 'string' ? dispute.payment_intent : dispute.payment_intent?.id;
    return { dispute, intent: intentId ? await retrieveIntentForReport(gateways.stripe, intentId) : null };
  },
  async apply(tx, { dispute, intent }: Loaded, { now }) {
    if (intent) await recordPaymentReport(tx, paymentReportFromIntent(intent));
    const outcome = await recordDisputeReport(
      tx,
      {
        provider: 'stripe',
        providerChargeId: typeof dispute.charge === 'string' ? dispute.charge : dispute.charge.id,
        providerDisputeId: dispute.id,
        amount: dispute.amount,
        currency: dispute.currency,
        status: stripeDisputeStatus(dispute.status),
        reason: dispute.reason,
        evidenceDueBy: dispute.evidence_details?.due_by ? new Date(dispute.evidence_details.due_by * 1000) : null,
      },
      now,
    );
    return describeOutcome('dispute', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
