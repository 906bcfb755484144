import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, checkouts, payments, subscriptions, users } from '@/db/schema';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { backendPid, sessionsBlockedBy, testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { checkoutOfUser } from './access';
import { ensureCustomer } from './customer';
import { applyConfirmation, fulfilCheckout } from './fulfil';
import { confirmAtProvider } from './provider-confirmation';
import { MAX_ATTEMPTS_PER_WINDOW, startCheckout } from './start';

const NOW = new Date();

describe(`hosted page, billing details, limits and the one-subscription guard (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  const start = async (userId: string, lookupKey: string, options: { quantity?: number; provider?: 'stripe' | 'paypal'; surface?: 'elements' | 'hosted' } = {}) =>
    startCheckout(checkoutDepsOf(env), { userId, priceId: await priceIdOf(db(), lookupKey), quantity: options.quantity ?? 1, provider: options.provider ?? 'stripe', surface: options.surface }, NOW);

  it('a hosted Checkout Session: one per attempt, paid on the hosted page, then fulfilled with its payment', async () => {
    const user = await createUser(db());
    const first = await start(user.id, 'starter_month_usd', { surface: 'hosted' });
    const again = await start(user.id, 'starter_month_usd', { surface: 'hosted' });
    expect(again.hostedUrl).toBe(first.hostedUrl);
    expect(first).toMatchObject({ kind: 'payment', clientSecret: null, paypalOrderId: null, amountDueToday: 900 });
    expect(first.hostedUrl).toMatch(/\/checkout\/pay\/cs_test_/);
    const checkout = await checkoutOfUser(db(), user.id, first.checkoutId);
    expect(checkout).toMatchObject({ surface: 'hosted', paymentId: null });
    expect(checkout.providerIntentId).toMatch(/^cs_test_/);

    expect(await fulfilCheckout(checkoutDepsOf(env), checkout.id, NOW, { type: 'user', id: user.id })).toMatchObject({ status: 'pending' });
    await env.sb.control('stripe/checkout/complete', { session: checkout.providerIntentId, payment_method: 'pm_card_visa' });
    const done = await fulfilCheckout(checkoutDepsOf(env), checkout.id, NOW, { type: 'user', id: user.id });
    expect(done).toMatchObject({ status: 'completed', alreadyFulfilled: false });
    const [row] = await db().select().from(checkouts).where(eq(checkouts.id, checkout.id));
    const [payment] = await db().select().from(payments).where(eq(payments.id, row.paymentId!));
    expect(payment).toMatchObject({ status: 'succeeded', amount: 900, description: 'Starter' });
    expect(payment.providerPaymentId).toMatch(/^pi_/);
    expect(payment.paymentMethod).toMatchObject({ type: 'card', last4: '4242' });
    // The hosted line carries what the app quoted, tax included, as one amount.
    const items = await env.gateways.stripe.checkout.sessions.listLineItems(checkout.providerIntentId!);
    expect(items.data.map((i) => i.amount_total)).toEqual([900]);
  });

  it('the hosted page is for cards only', async () => {
    const user = await createUser(db());
    await expect(start(user.id, 'starter_month_usd', { provider: 'paypal', surface: 'hosted' })).rejects.toMatchObject({ status: 400, code: 'provider_unavailable' });
  });

  it('nothing starts before the billing details are known (tax depends on them)', async () => {
    const [user] = await db().insert(users).values({ email: `nodetails-${crypto.randomUUID()}@example.com`, name: 'No Details' }).returning();
    await expect(start(user.id, 'onboarding_usd')).rejects.toMatchObject({ status: 400, code: 'billing_details_required' });
    const customer = await ensureCustomer(db(), user.id);
    expect(await db().select().from(checkouts).where(eq(checkouts.customerId, customer.id))).toHaveLength(0);
  });

  it('limits new attempts per customer; resuming an open one is not counted', async () => {
    const user = await createUser(db());
    const team = await priceIdOf(db(), 'team_month_usd');
    for (let seats = 1; seats <= MAX_ATTEMPTS_PER_WINDOW; seats++) {
      await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: team, quantity: seats, provider: 'stripe' }, NOW);
    }
    // The same request again resumes its attempt...
    await expect(startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: team, quantity: 1, provider: 'stripe' }, NOW)).resolves.toMatchObject({ kind: 'setup' });
    // ...a new one is refused.
    const refused = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: team, quantity: 50, provider: 'stripe' }, NOW).catch((e) => e);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('a product paid for twice (two tabs) gets one subscription; the second payment is recorded for a refund', async () => {
    const user = await createUser(db());
    const byCard = await start(user.id, 'starter_month_usd');
    const byPaypal = await start(user.id, 'starter_month_usd', { provider: 'paypal' });
    const cardCheckout = await checkoutOfUser(db(), user.id, byCard.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(cardCheckout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await env.sb.control('paypal/approve_order', { order_id: byPaypal.paypalOrderId });
    await fulfilCheckout(checkoutDepsOf(env), byCard.checkoutId, NOW, { type: 'user', id: user.id });
    const second = await fulfilCheckout(checkoutDepsOf(env), byPaypal.checkoutId, NOW, { type: 'user', id: user.id }).catch((e) => e);
    expect(second).toMatchObject({ status: 409, code: 'already_subscribed', href: '/billing' });
    const customer = await ensureCustomer(db(), user.id);
    expect(await db().select().from(subscriptions).where(eq(subscriptions.customerId, customer.id))).toHaveLength(1);
    const paypalRow = await checkoutOfUser(db(), user.id, byPaypal.checkoutId);
    expect(paypalRow.status).toBe('canceled');
    const [payment] = await db().select().from(payments).where(eq(payments.id, paypalRow.paymentId!));
    expect(payment.status).toBe('succeeded');
    const audit = await db().select().from(auditLog).where(eq(auditLog.entityId, byPaypal.checkoutId));
    expect(audit.map((a) => a.action)).toContain('checkout.duplicate_payment');
  });

  // Two transactions at once need two connections: PostgreSQL only (PGlite has one and runs them in turn).
  if (testDatabaseKind === 'postgres') it('two tabs fulfilled at the same moment: the second waits for the first and is a duplicate, not a database error', async () => {
    const user = await createUser(db());
    const actor = { type: 'user' as const, id: user.id };
    const byCard = await start(user.id, 'starter_month_usd');
    const byPaypal = await start(user.id, 'starter_month_usd', { provider: 'paypal' });
    const cardCheckout = await checkoutOfUser(db(), user.id, byCard.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(cardCheckout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await env.sb.control('paypal/approve_order', { order_id: byPaypal.paypalOrderId });
    const cardConfirmed = await confirmAtProvider(env.gateways, cardCheckout);
    let second!: Promise<unknown>;
    await db().transaction(async (tx) => {
      await applyConfirmation(tx, checkoutDepsOf(env), byCard.checkoutId, cardConfirmed, NOW, actor);
      const holder = await backendPid(tx);
      second = fulfilCheckout(checkoutDepsOf(env), byPaypal.checkoutId, NOW, actor).catch((e) => e);
      await expect.poll(() => sessionsBlockedBy(db(), holder), { timeout: 5000 }).toBe(1);
    });
    expect(await second).toMatchObject({ status: 409, code: 'already_subscribed' });
    const customer = await ensureCustomer(db(), user.id);
    expect(await db().select().from(subscriptions).where(eq(subscriptions.customerId, customer.id))).toMatchObject([{ checkoutId: byCard.checkoutId }]);
  });

  it('the database refuses a second current subscription to one product', async () => {
    const user = await createUser(db());
    const started = await start(user.id, 'starter_month_usd');
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDepsOf(env), started.checkoutId, NOW, { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, started.checkoutId));
    const { id: _id, checkoutId: _c, createdAt: _a, updatedAt: _u, ...copy } = sub;
    await expect(db().insert(subscriptions).values(copy)).rejects.toThrow();
    await db().update(subscriptions).set({ status: 'canceled' }).where(eq(subscriptions.id, sub.id));
    await expect(db().insert(subscriptions).values(copy)).resolves.toBeDefined();
  });
});
