import { describe, expect, it } from 'vitest';
import {
  nextPaymentStatus,
  paypalCaptureStatus,
  paypalDisputeStatus,
  paypalRefundStatus,
  stripeDisputeStatus,
  stripePaymentIntentStatus,
  stripeRefundStatus,
  type PaymentStatus,
} from './status';

const ALL: PaymentStatus[] = ['pending', 'requires_action', 'processing', 'succeeded', 'failed', 'canceled'];

describe('payment status', () => {
  it('never moves a succeeded or canceled payment', () => {
    for (const reported of ALL) {
      expect(nextPaymentStatus('succeeded', reported)).toBe('succeeded');
      expect(nextPaymentStatus('canceled', reported)).toBe('canceled');
    }
  });

  it('follows the provider otherwise, including a retry after a decline', () => {
    expect(nextPaymentStatus('pending', 'processing')).toBe('processing');
    expect(nextPaymentStatus('failed', 'requires_action')).toBe('requires_action');
    expect(nextPaymentStatus('failed', 'succeeded')).toBe('succeeded');
    expect(nextPaymentStatus('processing', 'failed')).toBe('failed');
  });

  it('maps Stripe PaymentIntent statuses', () => {
    expect(stripePaymentIntentStatus('requires_payment_method', false)).toBe('pending');
    expect(stripePaymentIntentStatus('requires_payment_method', true)).toBe('failed');
    expect(stripePaymentIntentStatus('requires_action', false)).toBe('requires_action');
    expect(stripePaymentIntentStatus('processing', false)).toBe('processing');
    expect(stripePaymentIntentStatus('succeeded', false)).toBe('succeeded');
    expect(stripePaymentIntentStatus('canceled', true)).toBe('canceled');
  });

  it('maps refunds and disputes of both providers', () => {
    expect(stripeRefundStatus('requires_action')).toBe('pending');
    expect(stripeRefundStatus('failed')).toBe('failed');
    expect(stripeDisputeStatus('warning_needs_response')).toBe('needs_response');
    expect(stripeDisputeStatus('under_review')).toBe('under_review');
    expect(stripeDisputeStatus('won')).toBe('won');
    expect(stripeDisputeStatus('lost')).toBe('lost');
    expect(paypalCaptureStatus('REFUNDED')).toBe('succeeded');
    expect(paypalCaptureStatus('DECLINED')).toBe('failed');
    expect(paypalCaptureStatus('PENDING')).toBe('processing');
    expect(paypalRefundStatus('COMPLETED')).toBe('succeeded');
    expect(paypalRefundStatus('PENDING')).toBe('pending');
    expect(paypalDisputeStatus('RESOLVED', 'RESOLVED_SELLER_FAVOUR')).toBe('won');
    expect(paypalDisputeStatus('RESOLVED', 'RESOLVED_BUYER_FAVOUR')).toBe('lost');
    expect(paypalDisputeStatus('WAITING_FOR_SELLER_RESPONSE', undefined)).toBe('needs_response');
  });
});
