/**
 * Payment, refund and dispute states: how each provider's status maps onto ours, and which moves are
 * allowed. The provider is the truth about a payment's state, but once a payment has succeeded or
 * been canceled no later report moves it back (a stale or reordered read is then a no-op).
 */
import type { Dispute, Payment, Refund } from '@/db/schema';

export type PaymentStatus = Payment['status'];
export type RefundStatus = Refund['status'];
export type DisputeStatus = Dispute['status'];

const FINAL_PAYMENT_STATUSES: ReadonlySet<PaymentStatus> = new Set(['succeeded', 'canceled']);

/** The status to record when the provider reports `reported` for a payment now in `current`. */
export function nextPaymentStatus(current: PaymentStatus, reported: PaymentStatus): PaymentStatus {
  return FINAL_PAYMENT_STATUSES.has(current) ? current : reported;
}

export function stripePaymentIntentStatus(status: string, hasPaymentError: boolean): PaymentStatus {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'processing':
      return 'processing';
    case 'requires_action':
      return 'requires_action';
    case 'canceled':
      return 'canceled';
    case 'requires_capture':
      return 'processing';
    default:
      // requires_payment_method / requires_confirmation: a declined attempt, or none yet.
      return hasPaymentError ? 'failed' : 'pending';
  }
}

export function stripeRefundStatus(status: string | null): RefundStatus {
  if (status === 'succeeded' || status === 'failed' || status === 'canceled') return status;
  return 'pending';
}

export function stripeDisputeStatus(status: string): DisputeStatus {
  if (status === 'won' || status === 'warning_closed') return 'won';
  if (status === 'lost') return 'lost';
  if (status === 'under_review' || status === 'warning_under_review') return 'under_review';
  return 'needs_response';
}

export function paypalCaptureStatus(status: string): PaymentStatus {
  // A refunded capture was paid first; its refunds are recorded on their own.
  if (status === 'COMPLETED' || status === 'PARTIALLY_REFUNDED' || status === 'REFUNDED') return 'succeeded';
  if (status === 'DECLINED' || status === 'FAILED' || status === 'DENIED') return 'failed';
  return 'processing'; // PENDING
}

export function paypalRefundStatus(status: string): RefundStatus {
  if (status === 'COMPLETED') return 'succeeded';
  if (status === 'FAILED') return 'failed';
  if (status === 'CANCELLED') return 'canceled';
  return 'pending';
}

export function paypalDisputeStatus(status: string, outcome: string | undefined): DisputeStatus {
  if (status === 'RESOLVED') return outcome === 'RESOLVED_SELLER_FAVOUR' || outcome === 'CANCELED_BY_BUYER' ? 'won' : 'lost';
  if (status === 'UNDER_REVIEW' || status === 'WAITING_FOR_BUYER_RESPONSE') return 'under_review';
  return 'needs_response';
}
