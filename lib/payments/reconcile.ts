/**
 * Reconciliation: re-reads recent payments that are not final from their provider and records what it
 * says, repairing drift left by webhooks that never arrived. Runs on a schedule; safe to run twice.
 */
import { and, gte, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { payments, type Payment } from '@/db/schema';
import { log } from '@/lib/log';
import type { Gateways } from './gateways';
import { paymentReportFromCapture, retrieveCapture } from './paypal/reports';
import { recordPaymentReport, recordRefundReport, type PaymentReport } from './records';
import { paymentReportFromIntent, refundReportFromStripe, retrieveIntentForReport } from './stripe/reports';

export interface ReconcileResult {
  checked: number;
  repaired: number;
  errors: number;
}

interface PaypalOrder {
  id: string;
  status: string;
  purchase_units?: Array<{ payments?: { captures?: Array<{ id: string }> } }>;
}

async function reconcileStripe(db: Database, gateways: Gateways, payment: Payment): Promise<boolean> {
  const intent = await retrieveIntentForReport(gateways.stripe, payment.providerPaymentId);
  const chargeId = typeof intent.latest_charge === 'object' ? intent.latest_charge?.id : intent.latest_charge;
  const refunds = chargeId ? (await gateways.stripe.refunds.list({ charge: chargeId, limit: 100 })).data : [];
  return db.transaction(async (tx) => {
    let changed = (await recordPaymentReport(tx, paymentReportFromIntent(intent))).kind === 'changed';
    for (const refund of refunds) {
      const outcome = await recordRefundReport(tx, refundReportFromStripe(chargeId!, refund));
      changed ||= outcome.kind === 'changed';
    }
    return changed;
  });
}

async function reconcilePaypal(db: Database, gateways: Gateways, payment: Payment): Promise<boolean> {
  const order = await gateways.paypal.request<PaypalOrder>('GET', `/v2/checkout/orders/${encodeURIComponent(payment.providerPaymentId)}`);
  const captureId = order.purchase_units?.[0]?.payments?.captures?.[0]?.id;
  let report: PaymentReport | null;
  if (captureId) report = paymentReportFromCapture(await retrieveCapture(gateways.paypal, captureId));
  else if (order.status === 'VOIDED') report = { provider: 'paypal', providerPaymentId: order.id, status: 'canceled' };
  else report = null; // created or approved, not captured: nothing to repair
  if (!report) return false;
  const outcome = await db.transaction((tx) => recordPaymentReport(tx, report));
  return outcome.kind === 'changed';
}

export async function reconcileRecentPayments(db: Database, gateways: Gateways, now: Date, options: { lookbackHours?: number; limit?: number } = {}): Promise<ReconcileResult> {
  const since = new Date(now.getTime() - (options.lookbackHours ?? 72) * 3600_000);
  const open = await db
    .select()
    .from(payments)
    .where(and(inArray(payments.status, ['pending', 'requires_action', 'processing', 'failed']), gte(payments.createdAt, since)))
    .limit(options.limit ?? 500);
  const result: ReconcileResult = { checked: open.length, repaired: 0, errors: 0 };
  for (const payment of open) {
    try {
      const changed = payment.provider === 'stripe' ? await reconcileStripe(db, gateways, payment) : await reconcilePaypal(db, gateways, payment);
      if (changed) result.repaired++;
    } catch (error) {
      result.errors++;
      log.warn('reconciliation could not check a payment', { paymentId: payment.id, error });
    }
  }
  return result;
}
