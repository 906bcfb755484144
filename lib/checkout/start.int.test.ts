import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkouts, payments, prices, subscriptions } from '@/db/schema';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog, setProductActive } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { checkoutOfIntent, checkoutOfUser } from './access';
import { ensureCustomer } from './customer';
import { CheckoutConflictError, CheckoutForbiddenError, CheckoutRequestError } from './errors';
import { fulfilCheckout } from './fulfil';
import { startCheckout } from './start';

const NOW = new Date('2026-11-23T10:00:00Z');

describe(`starting a checkout (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  const start = async (userId: string, lookupKey: string, quantity = 1, provider: 'stripe' | 'paypal' = 'stripe') =>
    startCheckout(checkoutDepsOf(env), { userId, priceId: await priceIdOf(db(), lookupKey), quantity, provider }, NOW);

  describe('refuses what the catalog does not sell', () => {
    const cases: Array<[string, string | null, number, 'stripe' | 'paypal', string]> = [
      ['a tampered price id', null, 1, 'stripe', 'unknown_price'],
      ['seats above the maximum', 'team_month_usd', 201, 'stripe', 'invalid_quantity'],
      ['a quantity below 1', 'team_month_usd', 0, 'stripe', 'invalid_quantity'],
      ['more than one of a plan that is not per seat', 'starter_month_usd', 2, 'stripe', 'invalid_quantity'],
      ['a metered add-on alone', 'api_calls_month_usd', 1, 'stripe', 'not_sold_alone'],
      ['PayPal for a trial', 'pro_month_usd', 1, 'paypal', 'provider_unavailable'],
    ];
    it.each(cases)('%s → 400', async (_what, lookupKey, quantity, provider, code) => {
      const user = await createUser(db());
      const priceId = lookupKey ? await priceIdOf(db(), lookupKey) : 'price_1FAKE00000000000000000';
      const error = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId, quantity, provider }, NOW).catch((e) => e);
      expect(error).toBeInstanceOf(CheckoutRequestError);
      expect(error).toMatchObject({ status: 400, code });
      expect(error.message).not.toMatch(/undefined/);
    });

    it('an unknown uuid and an inactive price → 400', async () => {
      const user = await createUser(db());
      const unknown = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: crypto.randomUUID(), quantity: 1, provider: 'stripe' }, NOW).catch((e) => e);
      expect(unknown).toMatchObject({ status: 400, code: 'unknown_price' });
      await db().update(prices).set({ active: false }).where(eq(prices.lookupKey, 'starter_year_eur'));
      expect(await start(user.id, 'starter_year_eur').catch((e) => e)).toMatchObject({ status: 400, code: 'price_inactive' });
      await setProductActive(db(), 'onboarding', false);
      expect(await start(user.id, 'onboarding_eur').catch((e) => e)).toMatchObject({ status: 400, code: 'price_inactive' });
      await setProductActive(db(), 'onboarding', true);
      expect(await db().select().from(checkouts).where(eq(checkouts.customerId, (await ensureCustomer(db(), user.id)).id))).toHaveLength(0);
    });

    it('a second subscription to a product the customer has → 409 pointing to /billing', async () => {
      const user = await createUser(db());
      const started = await start(user.id, 'starter_month_usd');
      await env.gateways.stripe.paymentIntents.confirm((await checkoutOfUser(db(), user.id, started.checkoutId)).providerIntentId!, { payment_method: 'pm_card_visa' });
      await fulfilCheckout(checkoutDepsOf(env), started.checkoutId, NOW, { type: 'user', id: user.id });
      const error = await start(user.id, 'starter_year_usd').catch((e) => e);
      expect(error).toBeInstanceOf(CheckoutConflictError);
      expect(error).toMatchObject({ status: 409, code: 'already_subscribed', href: '/billing' });
    });
  });

  it('returns the same intent and one payment row for the same request twice', async () => {
    const user = await createUser(db());
    const first = await start(user.id, 'starter_month_usd');
    const second = await start(user.id, 'starter_month_usd');
    expect(second.checkoutId).toBe(first.checkoutId);
    expect(second.clientSecret).toBe(first.clientSecret);
    expect(first).toMatchObject({ kind: 'payment', amountDueToday: 900, currency: 'USD', nextChargeAt: new Date('2026-12-23T10:00:00Z') });
    const [row] = await db().select().from(checkouts).where(eq(checkouts.id, first.checkoutId));
    expect(row.providerIntentId).toMatch(/^pi_/);
    expect(await db().select().from(payments).where(eq(payments.providerPaymentId, row.providerIntentId!))).toMatchObject([{ status: 'pending', amount: 900 }]);
    const intent = await env.gateways.stripe.paymentIntents.retrieve(row.providerIntentId!);
    expect(intent).toMatchObject({ amount: 900, currency: 'usd', setup_future_usage: 'off_session', metadata: { checkoutId: first.checkoutId } });
  });

  it('starts a trial with a SetupIntent (nothing due), once per seat count', async () => {
    const user = await createUser(db());
    const first = await start(user.id, 'team_month_usd', 3);
    const second = await start(user.id, 'team_month_usd', 3);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ kind: 'setup', amountDueToday: 0, total: 3600, nextChargeAt: new Date('2026-12-07T10:00:00Z') });
    expect(first.clientSecret).toMatch(/^seti_/);
    const customer = await ensureCustomer(db(), user.id);
    expect(await db().select().from(payments).where(eq(payments.customerId, customer.id))).toHaveLength(0);
    // A different seat count is a different attempt.
    expect((await start(user.id, 'team_month_usd', 4)).checkoutId).not.toBe(first.checkoutId);
  });

  it('creates one attempt, one intent and one payment row for a concurrent double submit', async () => {
    const user = await createUser(db());
    const results = await Promise.all([start(user.id, 'onboarding_usd'), start(user.id, 'onboarding_usd'), start(user.id, 'onboarding_usd', 1, 'paypal'), start(user.id, 'onboarding_usd', 1, 'paypal')]);
    expect(new Set(results.slice(0, 2).map((r) => r.clientSecret)).size).toBe(1);
    expect(new Set(results.slice(2).map((r) => r.paypalOrderId)).size).toBe(1);
    const customer = await ensureCustomer(db(), user.id);
    const rows = await db().select().from(checkouts).where(eq(checkouts.customerId, customer.id));
    expect(rows).toHaveLength(2);
    expect(await db().select().from(payments).where(eq(payments.customerId, customer.id))).toHaveLength(2);
  });

  it("refuses another customer's checkout or intent id (403) and creates nothing", async () => {
    const owner = await createUser(db(), 'Owner');
    const intruder = await createUser(db(), 'Intruder');
    const started = await start(owner.id, 'starter_month_eur');
    const [row] = await db().select().from(checkouts).where(eq(checkouts.id, started.checkoutId));
    await env.gateways.stripe.paymentIntents.confirm(row.providerIntentId!, { payment_method: 'pm_card_visa' });
    await expect(checkoutOfUser(db(), intruder.id, started.checkoutId)).rejects.toBeInstanceOf(CheckoutForbiddenError);
    await expect(checkoutOfIntent(db(), intruder.id, 'stripe', row.providerIntentId!)).rejects.toMatchObject({ status: 403 });
    expect(await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, started.checkoutId))).toHaveLength(0);
    expect((await db().select().from(checkouts).where(eq(checkouts.id, started.checkoutId)))[0].status).toBe('open');
    expect((await checkoutOfIntent(db(), owner.id, 'stripe', row.providerIntentId!)).id).toBe(started.checkoutId);
  });
});
