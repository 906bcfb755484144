import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { payments, refunds } from '@/db/schema';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { reconcileRecentPayments } from './reconcile';

describe(`payment reconciliation (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();

  it('repairs payments and refunds whose webhooks never arrived, and is a no-op the second time', async () => {
    const paid = await env.gateways.stripe.paymentIntents.create({ amount: 4200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    await env.gateways.stripe.refunds.create({ payment_intent: paid.id, amount: 200 });
    const open = await env.gateways.stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    const order = await env.gateways.paypal.request<{ id: string }>('POST', '/v2/checkout/orders', {
      body: { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '7.00' } }] },
    });
    await env.sb.control('paypal/approve_order', { order_id: order.id });
    await env.gateways.paypal.request('POST', `/v2/checkout/orders/${order.id}/capture`, { body: {} });
    await env.t.handle.db.insert(payments).values([
      { provider: 'stripe', providerPaymentId: paid.id, amount: 4200, currency: 'USD' },
      { provider: 'stripe', providerPaymentId: open.id, amount: 100, currency: 'USD' },
      { provider: 'paypal', providerPaymentId: order.id, amount: 700, currency: 'USD' },
    ]);

    expect(await reconcileRecentPayments(env.t.handle.db, env.gateways, new Date())).toEqual({ checked: 3, repaired: 2, errors: 0 });
    const [stripePayment] = await env.t.handle.db.select().from(payments).where(eq(payments.providerPaymentId, paid.id));
    expect(stripePayment.status).toBe('succeeded');
    expect(await env.t.handle.db.select().from(refunds).where(eq(refunds.paymentId, stripePayment.id))).toMatchObject([{ amount: 200, status: 'succeeded' }]);
    expect((await env.t.handle.db.select().from(payments).where(eq(payments.providerPaymentId, order.id)))[0].status).toBe('succeeded');
    expect((await env.t.handle.db.select().from(payments).where(eq(payments.providerPaymentId, open.id)))[0].status).toBe('pending');

    expect(await reconcileRecentPayments(env.t.handle.db, env.gateways, new Date())).toEqual({ checked: 1, repaired: 0, errors: 0 });
  });
});
