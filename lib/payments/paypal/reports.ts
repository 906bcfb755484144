/** Turning PayPal captures into the app's payment reports (see lib/payments/records.ts). */
import type { PaymentReport } from '../records';
import { paypalCaptureStatus } from '../status';
import type { PaypalClient } from './client';
import type { PaypalCapture } from './types';

export function retrieveCapture(paypal: PaypalClient, captureId: string): Promise<PaypalCapture> {
  return paypal.request<PaypalCapture>('GET', `/v2/payments/captures/${encodeURIComponent(captureId)}`);
}

/** The payment (keyed by its order) that a capture settles; null if the capture names no order. */
export function paymentReportFromCapture(capture: PaypalCapture): PaymentReport | null {
  const orderId = capture.supplementary_data?.related_ids?.order_id;
  if (!orderId) return null;
  const status = paypalCaptureStatus(capture.status);
  return {
    provider: 'paypal',
    providerPaymentId: orderId,
    status,
    providerChargeId: capture.id,
    failureCode: status === 'failed' ? (capture.status_details?.reason ?? capture.status) : null,
    failureMessage: status === 'failed' ? 'PayPal declined the payment.' : null,
  };
}
