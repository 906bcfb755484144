import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { customers, paymentMethods, payments, providerCustomers, users, webhookEvents } from '@/db/schema';
import { testDatabaseKind } from '@/test/database';
import { processingDepsOf, useDatabaseAndSandbox } from '@/test/sandbox';
import { stripeEvent } from '@/test/webhooks';
import { processWebhookEvent } from './process';
import { storeVerifiedEvent } from './receive';

describe(`saved payment methods, hosted checkout and PayPal approvals from webhooks (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  let customerId: string;

  beforeAll(async () => {
    const [user] = await env.t.handle.db.insert(users).values({ email: 'saver@example.com', name: 'Saver' }).returning();
    [{ id: customerId }] = await env.t.handle.db.insert(customers).values({ userId: user.id, email: user.email }).returning({ id: customers.id });
  });

  let counter = 0;
  async function deliver(provider: 'stripe' | 'paypal', type: string, object: Record<string, unknown>) {
    const id = provider === 'stripe' ? `evt_saved_${++counter}` : `WH-SAVED-${++counter}`;
    const payload = provider === 'stripe' ? stripeEvent(type, object, id) : { id, event_type: type, resource: object };
    await storeVerifiedEvent(env.t.handle.db, env.t.boss, { provider, id, type, payload });
    const [row] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, id));
    await processWebhookEvent(processingDepsOf(env), row.id, { lastAttempt: false });
    return (await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.id, row.id)))[0];
  }

  it('saves the card of a succeeded SetupIntent, the first one as the default', async () => {
    const stripeCustomer = await env.gateways.stripe.customers.create({ email: 'saver@example.com' });
    await env.t.handle.db.insert(providerCustomers).values({ customerId, provider: 'stripe', providerCustomerId: stripeCustomer.id });
    for (const card of ['pm_card_visa', 'pm_card_mastercard']) {
      const setup = await env.gateways.stripe.setupIntents.create({ customer: stripeCustomer.id, payment_method: card, confirm: true, usage: 'off_session' });
      const event = await deliver('stripe', 'setup_intent.succeeded', { id: setup.id, object: 'setup_intent' });
      expect(event).toMatchObject({ status: 'processed', outcome: 'customer for the card now saved' });
    }
    const saved = await env.t.handle.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customerId));
    expect(saved.map((m) => [m.summary.type === 'card' ? m.summary.brand : '', m.isDefault]).sort()).toEqual([
      ['mastercard', false],
      ['visa', true],
    ]);
    expect(JSON.stringify(saved)).not.toMatch(/4242424242424242|5555555555554444/);
  });

  it('records the payment of a completed hosted Checkout Session', async () => {
    const session = await env.gateways.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', unit_amount: 4900, product_data: { name: 'Onboarding' } }, quantity: 1 }],
      success_url: 'http://app.test/success',
      cancel_url: 'http://app.test/cancel',
    });
    await env.sb.control('stripe/checkout/complete', { session: session.id });
    const completed = await env.gateways.stripe.checkout.sessions.retrieve(session.id);
    const intentId = completed.payment_intent as string;
    await env.t.handle.db.insert(payments).values({ provider: 'stripe', providerPaymentId: intentId, amount: 4900, currency: 'USD', customerId });
    const event = await deliver('stripe', 'checkout.session.completed', { id: session.id, object: 'checkout.session' });
    expect(event.outcome).toBe('payment now succeeded');
  });

  it('treats an approved PayPal order as awaiting capture, not as paid', async () => {
    const order = await env.gateways.paypal.request<{ id: string }>('POST', '/v2/checkout/orders', {
      body: { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '15.00' } }] },
    });
    await env.sb.control('paypal/approve_order', { order_id: order.id });
    await env.t.handle.db.insert(payments).values({ provider: 'paypal', providerPaymentId: order.id, amount: 1500, currency: 'USD', customerId });
    const event = await deliver('paypal', 'CHECKOUT.ORDER.APPROVED', { id: order.id });
    expect(event).toMatchObject({ status: 'processed', outcome: 'order approved; awaiting capture' });
    expect((await env.t.handle.db.select().from(payments).where(eq(payments.providerPaymentId, order.id)))[0].status).toBe('pending');
  });

  it('saves a vaulted PayPal account, then marks it removed when PayPal deletes it', async () => {
    const setup = await env.gateways.paypal.request<{ id: string }>('POST', '/v3/vault/setup-tokens', {
      body: { payment_source: { paypal: { usage_type: 'MERCHANT' } } },
      requestId: 'setup-1',
    });
    await env.sb.control('paypal/approve_setup_token', { setup_token_id: setup.id });
    const token = await env.gateways.paypal.request<{ id: string; customer: { id: string } }>('POST', '/v3/vault/payment-tokens', {
      body: { payment_source: { token: { id: setup.id, type: 'SETUP_TOKEN' } } },
      requestId: 'token-1',
    });
    await env.t.handle.db.insert(providerCustomers).values({ customerId, provider: 'paypal', providerCustomerId: token.customer.id });
    await deliver('paypal', 'VAULT.PAYMENT-TOKEN.CREATED', { id: token.id });
    const [saved] = await env.t.handle.db.select().from(paymentMethods).where(eq(paymentMethods.providerPaymentMethodId, token.id));
    expect(saved.summary).toMatchObject({ type: 'paypal', email: expect.stringContaining('@') });
    expect(saved.isDefault).toBe(false); // the customer already has a default card

    await env.gateways.paypal.request('DELETE', `/v3/vault/payment-tokens/${token.id}`);
    const removed = await deliver('paypal', 'VAULT.PAYMENT-TOKEN.DELETED', { id: token.id });
    expect(removed.outcome).toBe('payment method now removed');
    // A late "created" event does not bring it back.
    await deliver('paypal', 'VAULT.PAYMENT-TOKEN.CREATED', { id: token.id });
    expect((await env.t.handle.db.select().from(paymentMethods).where(eq(paymentMethods.id, saved.id)))[0].removedAt).toBeInstanceOf(Date);
  });
});
