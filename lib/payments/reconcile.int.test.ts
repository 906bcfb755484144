import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payments, refunds } from '@/db/schema';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';
import { startTestSandbox, type TestSandbox } from '@/test/sandbox';
import { createGateways, type Gateways } from './gateways';
import { reconcileRecentPayments } from './reconcile';

describe(`payment reconciliation (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let gateways: Gateways;
  beforeAll(async () => {
    [t, sb] = await Promise.all([openTestDatabase(), startTestSandbox()]);
    gateways = createGateways(sb.config);
  });
  afterAll(async () => {
    await t?.close();
    await sb?.close();
  });

  it('repairs payments and refunds whose webhooks never arrived, and is a no-op the second time', async () => {
    const paid = await gateways.stripe.paymentIntents.create({ amount: 4200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    await gateways.stripe.refunds.create({ payment_intent: paid.id, amount: 200 });
    const open = await gateways.stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    const order = await gateways.paypal.request<{ id: string }>('POST', '/v2/checkout/orders', {
      body: { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '7.00' } }] },
    });
    await sb.control('paypal/approve_order', { order_id: order.id });
    await gateways.paypal.request('POST', `/v2/checkout/orders/${order.id}/capture`, { body: {} });
    await t.handle.db.insert(payments).values([
      { provider: 'stripe', providerPaymentId: paid.id, amount: 4200, currency: 'USD' },
      { provider: 'stripe', providerPaymentId: open.id, amount: 100, currency: 'USD' },
      { provider: 'paypal', providerPaymentId: order.id, amount: 700, currency: 'USD' },
    ]);

    expect(await reconcileRecentPayments(t.handle.db, gateways, new Date())).toEqual({ checked: 3, repaired: 2, errors: 0 });
    const [stripePayment] = await t.handle.db.select().from(payments).where(eq(payments.providerPaymentId, paid.id));
    expect(stripePayment.status).toBe('succeeded');
    expect(await t.handle.db.select().from(refunds).where(eq(refunds.paymentId, stripePayment.id))).toMatchObject([{ amount: 200, status: 'succeeded' }]);
    expect((await t.handle.db.select().from(payments).where(eq(payments.providerPaymentId, order.id)))[0].status).toBe('succeeded');
    expect((await t.handle.db.select().from(payments).where(eq(payments.providerPaymentId, open.id)))[0].status).toBe('pending');

    expect(await reconcileRecentPayments(t.handle.db, gateways, new Date())).toEqual({ checked: 1, repaired: 0, errors: 0 });
  });
});
