/**
 * An invoice whose off-session charge needed the customer (3-D Secure): the pay page confirms the
 * same PaymentIntent in the browser, then asks the server to re-read it and settle the invoice.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { invoices, payments } from '@/db/schema';
import type { Gateways } from '@/lib/payments/gateways';
import { paymentReportFromIntent, retrieveIntentForReport } from '@/lib/payments/stripe/reports';
import { settleInvoicePayment, type ChargeDeps, type ChargeOutcome } from './charge';
import { InvoiceNotFoundError, invoiceDocument } from './document';
import type { AppConfig } from '@/lib/config';

export interface InvoicePayment {
  invoiceId: string;
  number: string;
  status: string;
  /** What is left to pay, in minor units of `currency`. */
  amountRemaining: number;
  currency: string;
  /** For stripe.confirmCardPayment; null when the invoice needs no action (paid, or not a card charge). */
  clientSecret: string | null;
  paymentMethodId: string | null;
}

async function invoiceWithPayment(db: Database, invoiceId: string) {
  const [row] = await db.select({ invoice: invoices, payment: payments }).from(invoices).leftJoin(payments, eq(payments.id, invoices.paymentId)).where(eq(invoices.id, invoiceId));
  return row;
}

export async function invoicePayment(deps: { db: Database; gateways: Gateways; seller: AppConfig['seller'] }, viewer: { id: string; role: string }, invoiceId: string): Promise<InvoicePayment> {
  const doc = await invoiceDocument(deps.db, deps.seller, viewer, invoiceId);
  const { payment } = await invoiceWithPayment(deps.db, doc.invoice.id);
  const { invoice } = doc;
  const base = { invoiceId: invoice.id, number: invoice.number!, status: invoice.status, amountRemaining: invoice.amountDue - invoice.amountPaid, currency: invoice.currency, clientSecret: null, paymentMethodId: null };
  if (doc.invoice.status !== 'open' || payment?.provider !== 'stripe') return base;
  const intent = await deps.gateways.stripe.paymentIntents.retrieve(payment.providerPaymentId);
  if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_action' && intent.status !== 'requires_confirmation') return base;
  const paymentMethodId = typeof intent.last_payment_error?.payment_method === 'object' ? intent.last_payment_error.payment_method?.id ?? null : typeof intent.payment_method === 'string' ? intent.payment_method : null;
  return { ...base, clientSecret: intent.client_secret, paymentMethodId };
}

/** Re-reads the invoice's payment at the provider and settles the invoice (idempotent). */
export async function refreshInvoicePayment(deps: ChargeDeps & { seller: AppConfig['seller'] }, viewer: { id: string; role: string }, invoiceId: string, now: Date): Promise<ChargeOutcome> {
  const doc = await invoiceDocument(deps.db, deps.seller, viewer, invoiceId);
  const { payment } = await invoiceWithPayment(deps.db, doc.invoice.id);
  if (!payment || payment.provider !== 'stripe') throw new InvoiceNotFoundError();
  const report = paymentReportFromIntent(await retrieveIntentForReport(deps.gateways.stripe, payment.providerPaymentId));
  return deps.db.transaction((tx) => settleInvoicePayment(tx, deps, doc.invoice.id, report, now));
}
