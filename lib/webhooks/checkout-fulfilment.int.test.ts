/** A customer who pays and never reaches the return page still gets what they bought: the webhook fulfils. */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkouts, outboxEmails, subscriptions, webhookEvents } from '@/db/schema';
import { applyConfirmation, lockCheckout } from '@/lib/checkout/fulfil';
import { confirmAtProvider } from '@/lib/checkout/provider-confirmation';
import { startCheckout } from '@/lib/checkout/start';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { backendPid, sessionsBlockedBy, testDatabaseKind } from '@/test/database';
import { processingDepsOf, useDatabaseAndSandbox } from '@/test/sandbox';
import { processTestEvent, storeTestEvent } from '@/test/webhooks';
import { processWebhookEvent } from './process';

describe(`checkout fulfilment from webhooks (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;

  const store = (provider: 'stripe' | 'paypal', type: string, object: Record<string, unknown>) => storeTestEvent(env, provider, type, object);
  const eventRow = async (rowId: string) => (await db().select().from(webhookEvents).where(eq(webhookEvents.id, rowId)))[0];
  const deliver = async (provider: 'stripe' | 'paypal', type: string, object: Record<string, unknown>) => processTestEvent(env, await store(provider, type, object));

  async function begin(lookupKey: string, provider: 'stripe' | 'paypal') {
    const user = await createUser(db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), lookupKey), quantity: 1, provider }, new Date());
    const [checkout] = await db().select().from(checkouts).where(eq(checkouts.id, started.checkoutId));
    return { user, checkout };
  }

  it('fulfils a card checkout from payment_intent.succeeded, once', async () => {
    const { user, checkout } = await begin('starter_year_usd', 'stripe');
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    const first = await deliver('stripe', 'payment_intent.succeeded', { id: checkout.providerIntentId, object: 'payment_intent' });
    expect(first).toMatchObject({ status: 'processed', outcome: 'payment now succeeded; checkout fulfilled' });
    const again = await deliver('stripe', 'payment_intent.succeeded', { id: checkout.providerIntentId, object: 'payment_intent' });
    expect(again.outcome).toBe('payment already succeeded');
    expect(await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id))).toMatchObject([{ status: 'active' }]);
    expect(await db().select().from(outboxEmails).where(eq(outboxEmails.to, user.email))).toHaveLength(1);
  });

  it('starts a trial from setup_intent.succeeded', async () => {
    const { checkout } = await begin('team_month_usd', 'stripe');
    expect(checkout.kind).toBe('setup');
    await env.gateways.stripe.setupIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    const event = await deliver('stripe', 'setup_intent.succeeded', { id: checkout.providerIntentId, object: 'setup_intent' });
    expect(event.outcome).toBe('checkout fulfilled');
    expect(await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id))).toMatchObject([{ status: 'trialing' }]);
  });

  it('captures and fulfils a PayPal order the buyer approved but never returned from', async () => {
    const { checkout } = await begin('starter_month_eur', 'paypal');
    await env.sb.control('paypal/approve_order', { order_id: checkout.providerIntentId });
    const event = await deliver('paypal', 'CHECKOUT.ORDER.APPROVED', { id: checkout.providerIntentId });
    expect(event.outcome).toBe('checkout fulfilled');
    expect((await db().select().from(checkouts).where(eq(checkouts.id, checkout.id)))[0].status).toBe('completed');
    expect(await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id))).toMatchObject([{ status: 'active', provider: 'paypal' }]);
  });

  // Two transactions at once need two connections: PostgreSQL only (PGlite has one and runs them in turn).
  if (testDatabaseKind === 'postgres') it('the return page and the webhook fulfilling one checkout at once wait for each other, never deadlock', async () => {
    const { checkout } = await begin('starter_year_usd', 'stripe');
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    const rowId = await store('stripe', 'payment_intent.succeeded', { id: checkout.providerIntentId, object: 'payment_intent' });
    const confirmation = await confirmAtProvider(env.gateways, checkout);
    let webhook!: Promise<unknown>;
    // The return page's transaction: the checkout locked, the webhook let in, then the payment.
    const result = await db().transaction(async (tx) => {
      const holder = await backendPid(tx);
      await lockCheckout(tx, checkout.id);
      webhook = processWebhookEvent(processingDepsOf(env), rowId, { lastAttempt: false }).catch((e) => e);
      await expect.poll(() => sessionsBlockedBy(db(), holder), { timeout: 5000 }).toBe(1);
      return applyConfirmation(tx, checkoutDepsOf(env), checkout.id, confirmation, new Date(), { type: 'user', id: null });
    });
    expect(result).toMatchObject({ status: 'completed', alreadyFulfilled: false });
    expect(await webhook).toBe('processed');
    expect(await eventRow(rowId)).toMatchObject({ status: 'processed', outcome: 'payment already succeeded; checkout already fulfilled' });
    expect(await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id))).toHaveLength(1);
  });
});
