import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, checkouts, orders, outboxEmails, paymentMethods, payments, subscriptions } from '@/db/schema';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { ensureCustomer } from './customer';
import { CheckoutPaymentFailedError } from './errors';
import { fulfilCheckout } from './fulfil';
import { startCheckout } from './start';

const NOW = new Date('2026-11-23T10:00:00Z');

describe(`fulfilling a checkout against the sandbox (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  const deps = () => checkoutDepsOf(env);

  async function begin(lookupKey: string, provider: 'stripe' | 'paypal' = 'stripe', quantity = 1) {
    const user = await createUser(db());
    const started = await startCheckout(deps(), { userId: user.id, priceId: await priceIdOf(db(), lookupKey), quantity, provider }, NOW);
    const [checkout] = await db().select().from(checkouts).where(eq(checkouts.id, started.checkoutId));
    const customer = await ensureCustomer(db(), user.id);
    return { user, started, checkout, customer, fulfil: () => fulfilCheckout(deps(), started.checkoutId, NOW, { type: 'user', id: user.id }) };
  }

  const receipts = async (to: string) => db().select().from(outboxEmails).where(and(eq(outboxEmails.to, to), eq(outboxEmails.template, 'checkout_receipt')));
  const subscriptionsOf = async (customerId: string) => db().select().from(subscriptions).where(eq(subscriptions.customerId, customerId));

  it('does nothing before the provider confirms', async () => {
    const { fulfil, customer } = await begin('starter_month_usd');
    expect(await fulfil()).toMatchObject({ status: 'pending', providerStatus: 'requires_payment_method' });
    expect(await subscriptionsOf(customer.id)).toHaveLength(0);
  });

  it('fulfils a paid card checkout once when the return page and the webhook race', async () => {
    const { checkout, customer, user, fulfil } = await begin('starter_month_usd');
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    const results = await Promise.all([fulfil(), fulfil(), fulfilCheckout(deps(), checkout.id, NOW, { type: 'provider', id: 'stripe' })]);
    expect(results.filter((r) => r.status === 'completed' && !r.alreadyFulfilled)).toHaveLength(1);
    const subs = await subscriptionsOf(customer.id);
    expect(subs).toMatchObject([{ status: 'active', provider: 'stripe', quantity: 1, checkoutId: checkout.id, trialEnd: null, cancelAtPeriodEnd: false }]);
    expect(subs[0].currentPeriodStart.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(subs[0].currentPeriodEnd.toISOString()).toBe('2026-12-23T10:00:00.000Z');
    expect(new Set(results.map((r) => r.status === 'completed' && r.subscriptionId))).toEqual(new Set([subs[0].id]));
    expect(await receipts(user.email)).toMatchObject([{ subject: 'Receipt for Starter' }]);
    const [payment] = await db().select().from(payments).where(eq(payments.id, checkout.paymentId!));
    expect(payment).toMatchObject({ status: 'succeeded', amount: 900, paymentMethod: { type: 'card', last4: '4242' } });
    expect(await db().select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).toMatchObject([{ provider: 'stripe', isDefault: true, summary: { last4: '4242' } }]);
    expect(await db().select().from(auditLog).where(and(eq(auditLog.entityId, checkout.id), eq(auditLog.action, 'checkout.completed')))).toHaveLength(1);
    expect((await db().select().from(checkouts).where(eq(checkouts.id, checkout.id)))[0].status).toBe('completed');
    // Later calls keep answering the same result.
    expect(await fulfil()).toMatchObject({ status: 'completed', alreadyFulfilled: true, subscriptionId: subs[0].id });
  });

  it('records a decline with the provider message and creates nothing', async () => {
    const { checkout, customer, user, fulfil } = await begin('starter_year_usd');
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_chargeDeclined' }).catch(() => null);
    const error = await fulfil().catch((e) => e);
    expect(error).toBeInstanceOf(CheckoutPaymentFailedError);
    expect(error.message).toMatch(/declined/i);
    const [payment] = await db().select().from(payments).where(eq(payments.id, checkout.paymentId!));
    expect(payment).toMatchObject({ status: 'failed', failureCode: 'generic_decline' });
    expect(payment.failureMessage).toBe(error.message);
    expect(await subscriptionsOf(customer.id)).toHaveLength(0);
    expect(await receipts(user.email)).toHaveLength(0);
    expect((await db().select().from(checkouts).where(eq(checkouts.id, checkout.id)))[0].status).toBe('open');

    // The same attempt can then be paid with another card.
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    expect(await fulfil()).toMatchObject({ status: 'completed' });
    expect(await subscriptionsOf(customer.id)).toHaveLength(1);
  });

  it('starts a trial from a confirmed SetupIntent, with no charge', async () => {
    const { checkout, customer, user, fulfil } = await begin('team_month_usd', 'stripe', 5);
    expect(checkout).toMatchObject({ kind: 'setup', amountDueToday: 0, paymentId: null });
    await env.gateways.stripe.setupIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    expect(await fulfil()).toMatchObject({ status: 'completed' });
    const [sub] = await subscriptionsOf(customer.id);
    expect(sub).toMatchObject({ status: 'trialing', quantity: 5 });
    expect(sub.trialEnd?.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(sub.currentPeriodEnd.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(sub.billingCycleAnchor.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(await db().select().from(payments).where(eq(payments.customerId, customer.id))).toHaveLength(0);
    expect(await db().select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).toMatchObject([{ isDefault: true }]);
    const [receipt] = await receipts(user.email);
    expect(receipt.text).toMatch(/Nothing was charged today/);
    expect(receipt.text).toMatch(/\$60\.00 is on 2026-12-07/);
  });

  it('turns a one-time purchase into an order', async () => {
    const { checkout, customer, fulfil } = await begin('onboarding_eur');
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    const result = await fulfil();
    expect(result).toMatchObject({ status: 'completed', subscriptionId: null });
    expect(await db().select().from(orders).where(eq(orders.customerId, customer.id))).toMatchObject([
      { amount: 45900, currency: 'EUR', status: 'paid', paymentId: checkout.paymentId, checkoutId: checkout.id },
    ]);
    expect(await subscriptionsOf(customer.id)).toHaveLength(0);
  });

  it('captures an approved PayPal order, vaults the account and creates the subscription', async () => {
    const { checkout, customer, user, fulfil } = await begin('starter_month_eur', 'paypal');
    expect(checkout.providerIntentId).toBeTruthy();
    await env.sb.control('paypal/approve_order', { order_id: checkout.providerIntentId });
    const results = await Promise.all([fulfil(), fulfil()]);
    expect(results.every((r) => r.status === 'completed')).toBe(true);
    expect(await subscriptionsOf(customer.id)).toMatchObject([{ status: 'active', provider: 'paypal' }]);
    const [payment] = await db().select().from(payments).where(eq(payments.id, checkout.paymentId!));
    expect(payment).toMatchObject({ status: 'succeeded', amount: 900, currency: 'EUR' });
    expect(payment.providerChargeId).toBeTruthy();
    expect(await db().select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).toMatchObject([{ provider: 'paypal', isDefault: true }]);
    expect(await receipts(user.email)).toHaveLength(1);
  });

  it('reports a declined PayPal capture clearly and creates nothing', async () => {
    const { checkout, customer, user, fulfil } = await begin('onboarding_usd', 'paypal');
    await env.sb.control('paypal/decline_next_capture', {});
    await env.sb.control('paypal/approve_order', { order_id: checkout.providerIntentId });
    const error = await fulfil().catch((e) => e);
    expect(error).toBeInstanceOf(CheckoutPaymentFailedError);
    expect(error).toMatchObject({ status: 402, message: expect.stringMatching(/PayPal declined/) });
    expect(await db().select().from(payments).where(eq(payments.id, checkout.paymentId!))).toMatchObject([{ status: 'failed' }]);
    expect(await db().select().from(orders).where(eq(orders.customerId, customer.id))).toHaveLength(0);
    expect(await receipts(user.email)).toHaveLength(0);
    // The declined order is dead: the attempt is closed, and starting again gets a fresh order.
    expect((await db().select().from(checkouts).where(eq(checkouts.id, checkout.id)))[0].status).toBe('canceled');
    const again = await startCheckout(deps(), { userId: user.id, priceId: checkout.priceId, quantity: 1, provider: 'paypal' }, NOW);
    expect(again.checkoutId).not.toBe(checkout.id);
    expect(again.paypalOrderId).not.toBe(checkout.providerIntentId);
  });

  it('lets the buyer retry after PayPal refuses the funding source (INSTRUMENT_DECLINED)', async () => {
    const { checkout, customer, fulfil } = await begin('starter_year_eur', 'paypal');
    await env.sb.control('paypal/decline_next_capture', { mode: 'INSTRUMENT_DECLINED' });
    await env.sb.control('paypal/approve_order', { order_id: checkout.providerIntentId });
    await expect(fulfil()).rejects.toMatchObject({ status: 402, code: 'payment_failed' });
    expect((await db().select().from(checkouts).where(eq(checkouts.id, checkout.id)))[0].status).toBe('open');
    expect(await fulfil()).toMatchObject({ status: 'completed' });
    expect(await subscriptionsOf(customer.id)).toMatchObject([{ status: 'active', provider: 'paypal' }]);
  });

  it('replaces an attempt whose PaymentIntent was canceled at Stripe', async () => {
    const { checkout, user } = await begin('onboarding_usd');
    await env.gateways.stripe.paymentIntents.cancel(checkout.providerIntentId!);
    const again = await startCheckout(deps(), { userId: user.id, priceId: checkout.priceId, quantity: 1, provider: 'stripe' }, NOW);
    expect(again.checkoutId).not.toBe(checkout.id);
    expect((await db().select().from(checkouts).where(eq(checkouts.id, checkout.id)))[0].status).toBe('canceled');
    expect(await db().select().from(payments).where(eq(payments.id, checkout.paymentId!))).toMatchObject([{ status: 'canceled' }]);
  });
});
