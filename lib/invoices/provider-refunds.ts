/**
 * Refunding an invoice's payment at its provider, keyed so a repeated call returns the same refund:
 * Stripe `refunds.create` on the PaymentIntent with an Idempotency-Key, PayPal's capture refund with a
 * PayPal-Request-Id. The answer is the refund as a report, to record as the webhook path records it.
 * A provider's refusal becomes an InvoiceActionError with its message; nothing was refunded then.
 */
import { createHash } from 'node:crypto';
import type { Payment } from '@/db/schema';
import { fromMajorUnitString, toMajorUnitString } from '@/lib/money';
import type { Gateways } from '@/lib/payments/gateways';
import { PaypalApiError } from '@/lib/payments/paypal/client';
import type { PaypalRefund } from '@/lib/payments/paypal/types';
import type { RefundReport } from '@/lib/payments/records';
import { paypalRefundStatus } from '@/lib/payments/status';
import { refundReportFromStripe } from '@/lib/payments/stripe/reports';
import { InvoiceActionError, stripeRefundReason, type CreditNoteReason } from './correction-rules';

export interface ProviderRefundRequest {
  payment: Payment;
  amount: number;
  currency: string;
  reason: CreditNoteReason | null;
  invoice: { id: string; number: string | null };
  idempotencyKey: string;
}

/** The Stripe SDK's errors, recognised without importing the SDK outside lib/payments. */
function stripeErrorOf(error: unknown): { message: string; statusCode?: number } | null {
  const e = error as { type?: unknown; message?: unknown; statusCode?: unknown };
  return error instanceof Error && typeof e.type === 'string' && e.type.startsWith('Stripe') ? { message: error.message, statusCode: typeof e.statusCode === 'number' ? e.statusCode : undefined } : null;
}

/** A 4xx is a refusal (nothing refunded); anything else may or may not have reached the provider. */
function refusedOrUnavailable(provider: string, status: number | undefined, message: string): InvoiceActionError {
  if (status !== undefined && status >= 400 && status < 500) return new InvoiceActionError('provider_refused', `${provider} refused the refund: ${message}`);
  return new InvoiceActionError('provider_unavailable', `${provider} did not answer the refund request (${message}). Submitting the same form again is safe: it cannot refund twice.`);
}

/** fetch's network failures and timeouts, as the PayPal client lets them through. */
function isNetworkError(error: unknown): error is Error {
  return error instanceof Error && (error.name === 'TypeError' || error.name === 'AbortError' || error.name === 'TimeoutError');
}

async function refundAtStripe(gateways: Gateways, request: ProviderRefundRequest): Promise<RefundReport> {
  try {
    const refund = await gateways.stripe.refunds.create(
      { payment_intent: request.payment.providerPaymentId, amount: request.amount, reason: stripeRefundReason(request.reason), metadata: { invoice_id: request.invoice.id } },
      { idempotencyKey: request.idempotencyKey },
    );
    const chargeId = typeof refund.charge === 'string' ? refund.charge : (refund.charge?.id ?? request.payment.providerChargeId!);
    return refundReportFromStripe(chargeId, refund);
  } catch (error) {
    const stripe = stripeErrorOf(error);
    if (stripe) throw refusedOrUnavailable('Stripe', stripe.statusCode, stripe.message);
    throw error;
  }
}

async function refundAtPaypal(gateways: Gateways, request: ProviderRefundRequest): Promise<RefundReport> {
  const captureId = request.payment.providerChargeId!;
  try {
    const created = await gateways.paypal.request<{ id: string }>('POST', `/v2/payments/captures/${encodeURIComponent(captureId)}/refund`, {
      requestId: request.idempotencyKey,
      // PayPal refuses a second refund with the same invoice_id (DUPLICATE_INVOICE_ID), so a partial refund's is its own.
      body: { amount: { currency_code: request.currency, value: toMajorUnitString(request.amount, request.currency) }, ...(request.invoice.number ? { invoice_id: `${request.invoice.number}-R${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 10)}` } : {}) },
    });
    // The create answers with PayPal's minimal representation: read the refund whole for its amount.
    // Once the create succeeded the money is on its way back, so a failed read is never a refusal.
    const refund = await gateways.paypal.request<PaypalRefund>('GET', `/v2/payments/refunds/${encodeURIComponent(created.id)}`).catch((error: unknown) => {
      throw refusedOrUnavailable('PayPal', undefined, `the refund ${created.id} was made but could not be read back: ${error instanceof Error ? error.message : String(error)}`);
    });
    return {
      provider: 'paypal',
      providerChargeId: captureId,
      providerRefundId: refund.id,
      amount: fromMajorUnitString(refund.amount.value, refund.amount.currency_code),
      currency: refund.amount.currency_code,
      status: paypalRefundStatus(refund.status),
      reason: refund.note_to_payer ?? null,
      failureReason: refund.status_details?.reason ?? null,
    };
  } catch (error) {
    if (error instanceof InvoiceActionError) throw error;
    if (error instanceof PaypalApiError) throw refusedOrUnavailable('PayPal', error.status, error.issue ? `${error.issue}: ${error.message}` : error.message);
    if (isNetworkError(error)) throw refusedOrUnavailable('PayPal', undefined, error.message);
    throw error;
  }
}

export function refundAtProvider(gateways: Gateways, request: ProviderRefundRequest): Promise<RefundReport> {
  return request.payment.provider === 'stripe' ? refundAtStripe(gateways, request) : refundAtPaypal(gateways, request);
}
