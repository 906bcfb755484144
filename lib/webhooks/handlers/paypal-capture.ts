/**
 * PAYMENT.CAPTURE.COMPLETED / DENIED / PENDING: re-reads the capture and records its order's payment;
 * when that order is an invoice's latest charge, the invoice is settled (or its failure counted) too.
 */
import type { PaypalCapture, PaypalWebhookEvent } from '@/lib/payments/paypal/types';
import { paymentReportFromCapture, retrieveCapture } from '@/lib/payments/paypal/reports';
import { and, eq } from 'drizzle-orm';
import { invoices, payments } from '@/db/schema';
import { settleInvoicePayment } from '@/lib/invoices/charge';
import { describeOutcome, recordPaymentReport } from '@/lib/payments/records';
import { defineHandler } from '../handler';

export const paypalCaptureHandler = defineHandler({
  async load(event: PaypalWebhookEvent, { gateways }) {
    if (!event.resource.id) throw new Error(`event ${event.id} names no capture`);
    return retrieveCapture(gateways.paypal, event.resource.id);
  },
  async apply(tx, capture: PaypalCapture, ctx) {
    const report = paymentReportFromCapture(capture);
    if (!report) return 'capture names no order';
    const [invoice] = await tx
      .select({ id: invoices.id })
      .from(invoices)
      .innerJoin(payments, eq(payments.id, invoices.paymentId))
      .where(and(eq(payments.provider, 'paypal'), eq(payments.providerPaymentId, report.providerPaymentId)));
    if (invoice) return `invoice: ${await settleInvoicePayment(tx, ctx, invoice.id, report, ctx.now)}`;
    const outcome = await recordPaymentReport(tx, report);
    return describeOutcome('payment', outcome, outcome.kind === 'unknown' ? '' : outcome.record.status);
  },
});
