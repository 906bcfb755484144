import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { disputes, payments, refunds, webhookEvents } from '@/db/schema';
import type { PaypalCapture } from '@/lib/payments/paypal/types';
import { testDatabaseKind } from '@/test/database';
import { processingDepsOf, useDatabaseAndSandbox } from '@/test/sandbox';
import { processWebhookEvent } from './process';
import { storeVerifiedEvent } from './receive';

describe(`PayPal webhook processing against the sandbox (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();

  /** An approved order at the sandbox and the app's pending record of it. */
  async function approvedOrder(value: string) {
    const order = await env.gateways.paypal.request<{ id: string }>('POST', '/v2/checkout/orders', {
      body: { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'EUR', value } }] },
    });
    await env.sb.control('paypal/approve_order', { order_id: order.id });
    const [payment] = await env.t.handle.db
      .insert(payments)
      .values({ provider: 'paypal', providerPaymentId: order.id, amount: Number(value.replace('.', '')), currency: 'EUR' })
      .returning();
    return payment;
  }

  async function capture(orderId: string): Promise<PaypalCapture> {
    const order = await env.gateways.paypal.request<{ purchase_units: Array<{ payments: { captures: PaypalCapture[] } }> }>('POST', `/v2/checkout/orders/${orderId}/capture`, { body: {} });
    return order.purchase_units[0].payments.captures[0];
  }

  let counter = 0;
  async function deliver(type: string, resource: Record<string, unknown>) {
    const id = `WH-TEST-${++counter}`;
    await storeVerifiedEvent(env.t.handle.db, env.t.boss, { provider: 'paypal', id, type, payload: { id, event_type: type, resource } });
    const [row] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, id));
    await processWebhookEvent(processingDepsOf(env), row.id, { lastAttempt: false });
    return (await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.id, row.id)))[0];
  }

  it('records a completed capture on its order, then a refund, then a dispute the buyer wins (a loss for the seller)', async () => {
    const payment = await approvedOrder('20.00');
    const captured = await capture(payment.providerPaymentId);
    const event = await deliver('PAYMENT.CAPTURE.COMPLETED', { id: captured.id });
    expect(event).toMatchObject({ status: 'processed', outcome: 'payment now succeeded' });
    const [after] = await env.t.handle.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(after).toMatchObject({ status: 'succeeded', providerChargeId: captured.id });

    const refund = await env.gateways.paypal.request<{ id: string }>('POST', `/v2/payments/captures/${captured.id}/refund`, {
      body: { amount: { currency_code: 'EUR', value: '5.00' } },
      requestId: `refund-${captured.id}-1`,
    });
    await deliver('PAYMENT.CAPTURE.REFUNDED', { id: refund.id });
    expect(await env.t.handle.db.select().from(refunds).where(eq(refunds.paymentId, payment.id))).toMatchObject([{ amount: 500, currency: 'EUR', status: 'succeeded' }]);

    const dispute = (await env.sb.control('paypal/open_dispute', { capture_id: captured.id })) as { dispute_id: string };
    await deliver('CUSTOMER.DISPUTE.CREATED', { dispute_id: dispute.dispute_id });
    expect((await env.t.handle.db.select().from(disputes).where(eq(disputes.paymentId, payment.id)))[0]).toMatchObject({ status: 'needs_response' });
    await env.sb.control('paypal/resolve_dispute', { dispute_id: dispute.dispute_id, outcome: 'buyer' });
    await deliver('CUSTOMER.DISPUTE.RESOLVED', { dispute_id: dispute.dispute_id });
    expect((await env.t.handle.db.select().from(disputes).where(eq(disputes.paymentId, payment.id)))[0]).toMatchObject({ status: 'lost' });
  });

  it('records a refund that arrives before the capture completed event', async () => {
    const payment = await approvedOrder('12.34');
    const captured = await capture(payment.providerPaymentId);
    const refund = await env.gateways.paypal.request<{ id: string }>('POST', `/v2/payments/captures/${captured.id}/refund`, { body: {} });
    const event = await deliver('PAYMENT.CAPTURE.REFUNDED', { id: refund.id });
    expect(event.status).toBe('processed');
    expect((await env.t.handle.db.select().from(payments).where(eq(payments.id, payment.id)))[0].status).toBe('succeeded');
    expect(await env.t.handle.db.select().from(refunds).where(eq(refunds.paymentId, payment.id))).toMatchObject([{ amount: 1234, status: 'succeeded' }]);
  });

  it('records a capture the buyer’s bank declined', async () => {
    const payment = await approvedOrder('9.99');
    await env.sb.control('paypal/decline_next_capture', {});
    const denied = await capture(payment.providerPaymentId).catch((e) => e);
    const captureId = denied instanceof Error ? null : denied.id;
    const orders = await env.gateways.paypal.request<{ purchase_units: Array<{ payments?: { captures?: PaypalCapture[] } }> }>('GET', `/v2/checkout/orders/${payment.providerPaymentId}`);
    const id = captureId ?? orders.purchase_units[0].payments?.captures?.[0]?.id;
    expect(id).toBeTruthy();
    await deliver('PAYMENT.CAPTURE.DENIED', { id });
    expect((await env.t.handle.db.select().from(payments).where(eq(payments.id, payment.id)))[0]).toMatchObject({ status: 'failed', failureMessage: 'PayPal declined the payment.' });
  });
});
