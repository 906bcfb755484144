/**
 * Usage-based billing end to end: API keys, the ingestion API's answers (good, repeated and bad
 * input), rating at the period end into the renewal invoice, a late event on the next invoice, the
 * usage visible so far, and the last period's usage billed when a subscription ends.
 */
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceLines, invoices, meters, prices, subscriptionItems, subscriptions, usageEvents } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { runBilling, type BillingDeps } from '@/lib/invoices/billing-run';
import { cancelSubscription } from '@/lib/subscriptions/manage';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { testBillingSettings } from '@/test/settings';
import { createApiKey, revokeApiKey } from './api-keys';
import { handleUsageRequest } from './http';
import { addUsageAddOn, availableUsageAddOns } from './items';
import { usageSoFar } from './rating';

describe(`usage-based billing (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  const db = () => env.t.handle.db;
  let apiKey = '';
  let admin = { id: '', email: '' };
  beforeAll(async () => {
    await seedCheckoutCatalog(db());
    admin = await createUser(db(), 'Ops');
    apiKey = (await createApiKey(db(), { name: 'API gateway', createdBy: admin.id })).key;
  });
  const deps = (): BillingDeps => ({ db: db(), boss: env.t.boss, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: [] }, settings: testBillingSettings });

  /** A Starter subscription paid by card at `at`, with the API-calls add-on (packages of 1,000 at $2). */
  async function meteredSubscription(at: Date, addOns = ['api_calls_month_usd']) {
    const user = await createUser(db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1, provider: 'stripe' }, at);
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at, { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    for (const lookupKey of addOns) await addUsageAddOn(db(), { userId: user.id, subscriptionId: sub.id, priceId: await priceIdOf(db(), lookupKey), now: at });
    return { user, sub };
  }

  const post = (body: unknown, now: Date, headers: Record<string, string> = {}) =>
    handleUsageRequest(db(), new Request('http://localhost/api/usage/events', { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }), now);
  const event = (sub: { id: string }, key: string, quantity: number, at: Date, extra: object = {}) => ({ subscription: sub.id, meter: 'api_calls', quantity, timestamp: at.toISOString(), idempotency_key: key, ...extra });
  const usageLines = async (invoiceId: string) => (await db().select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position))).filter((l) => l.kind === 'usage');
  const invoicesOf = (subscriptionId: string) => db().select().from(invoices).where(eq(invoices.subscriptionId, subscriptionId)).orderBy(asc(invoices.createdAt));
  const renewalsOf = async (subscriptionId: string) => (await invoicesOf(subscriptionId)).filter((i) => i.billingReason === 'subscription_cycle');

  it('accepts events once per idempotency key and refuses bad input with a clear error, counting nothing', async () => {
    const at = new Date('2027-01-05T10:00:00Z');
    const { sub } = await meteredSubscription(at);
    const other = await meteredSubscription(at);
    const now = new Date('2027-01-06T10:00:00Z');

    const first = await post(event(sub, 'evt-1', 700, now), now);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ idempotency_key: 'evt-1', status: 'accepted' });
    const again = await post(event(sub, 'evt-1', 700, now), now);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ idempotency_key: 'evt-1', status: 'duplicate' });
    const reused = await post(event(sub, 'evt-1', 701, now), now);
    expect(reused.status).toBe(409);
    expect((await reused.json()).error.code).toBe('idempotency_key_reused');

    // A batch with a repeat inside it and one from before: counted once each.
    const batch = await post({ events: [event(sub, 'evt-2', 100, now), event(sub, 'evt-2', 100, now), event(sub, 'evt-1', 700, now), event(sub, 'evt-3', 0, now)] }, now);
    expect(batch.status).toBe(200);
    expect(await batch.json()).toMatchObject({ accepted: 2, duplicates: 2 });

    const refused = async (body: unknown, status: number, code: string | RegExp, headers: Record<string, string> = {}) => {
      const response = await post(body, now, headers);
      const json = await response.json();
      expect({ status: response.status, code: json.error.code }).toEqual({ status, code: typeof code === 'string' ? code : expect.stringMatching(code) });
      return json.error;
    };
    await refused(event(sub, 'k', 1, now), 401, 'unauthorized', { authorization: 'Bearer usk_not-a-real-key-not-a-real-key-not-a-real-k' });
    await refused(event(sub, 'k', 1, now), 401, 'unauthorized', { authorization: '' });
    await refused('{"quantity": ', 400, 'invalid_json');
    await refused(event(sub, 'k', 1, now), 415, 'unsupported_media_type', { 'content-type': 'text/plain' });
    expect((await refused(event(sub, 'neg', -5, now), 400, 'invalid_event')).message).toMatch(/quantity must not be negative/);
    expect((await refused(event(sub, 'frac', 1.5, now), 400, 'invalid_event')).message).toMatch(/whole number/);
    expect((await refused(event(sub, 'future', 1, new Date(now.getTime() + 24 * 3600_000)), 400, 'timestamp_in_future')).message).toMatch(/in the future/);
    expect((await refused({ ...event(sub, 'huge-ts', 1, now), timestamp: 9e15 }, 400, 'invalid_event')).message).toMatch(/not a date/);
    await refused(event(sub, 'nokey', 1, now, { idempotency_key: undefined }), 400, 'invalid_event');
    await refused(event({ id: '00000000-0000-4000-8000-000000000000' }, 'nosub', 1, now), 404, 'subscription_not_found');
    await refused(event(sub, 'nometer', 1, now, { meter: 'bandwidth' }), 404, 'meter_not_found');
    await refused(event(sub, 'notadded', 1, now, { meter: 'storage_gb' }), 400, 'meter_not_on_subscription');
    expect((await refused(event(sub, 'theirs', 1, now, { customer: other.sub.customerId }), 400, 'subscription_of_another_customer')).message).toMatch(/does not belong/);
    // One bad event refuses the whole batch.
    const mixed = await refused({ events: [event(sub, 'ok-1', 5, now), event(sub, 'bad-1', -1, now)] }, 400, 'invalid_event');
    expect(mixed.message).toMatch(/1 of 2 events were refused .* nothing was counted/);
    await refused({ events: Array.from({ length: 1001 }, (_, i) => event(sub, `many-${i}`, 1, now)) }, 413, 'batch_too_large');

    const counted = await db().select().from(usageEvents).where(eq(usageEvents.subscriptionId, sub.id));
    expect(counted.map((e) => e.idempotencyKey).sort()).toEqual(['evt-1', 'evt-2', 'evt-3']);
    expect(counted.reduce((n, e) => n + e.quantity, 0)).toBe(800);

    // A revoked key stops working at once.
    const spare = await createApiKey(db(), { name: 'old backend', createdBy: admin.id });
    await revokeApiKey(db(), { id: spare.record.id, actorId: admin.id, now });
    await refused(event(sub, 'after-revoke', 1, now), 401, 'unauthorized', { authorization: `Bearer ${spare.key}` });
  });

  it('rates a period at its end into the renewal invoice; a late event goes on the next one; usage so far is visible', async () => {
    const { sub } = await meteredSubscription(new Date('2027-02-10T09:00:00Z'), ['api_calls_month_usd', 'storage_month_usd']);
    expect(sub.currentPeriodEnd).toEqual(new Date('2027-03-10T09:00:00Z'));
    // Both add-ons are on it now: none is left to add.
    const [plan] = await db().select().from(prices).where(eq(prices.id, sub.priceId));
    expect((await availableUsageAddOns(db(), [{ sub, plan }])).get(sub.id)).toEqual([]);
    const during = new Date('2027-03-01T00:00:00Z');
    await post({ events: [event(sub, 'p1-a', 1500, during), event(sub, 'p1-b', 1000, during), { ...event(sub, 'p1-s', 1200, during), meter: 'storage_gb' }] }, during);
    // Dated after the period end but sent before the billing run: it belongs to the next period.
    const early = new Date('2027-03-10T09:30:00Z');
    await post(event(sub, 'p2-early', 10, early), early);

    const fresh = (await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id)))[0];
    expect((await usageSoFar(db(), [fresh])).get(fresh.id)!.map((u) => [u.meterKey, u.quantity, u.amount.amount])).toEqual(
      expect.arrayContaining([
        ['api_calls', 2510, 600],
        ['storage_gb', 1200, 2200],
      ]),
    );

    await runBilling(deps(), new Date('2027-03-10T10:00:00Z'));
    const [renewal] = await renewalsOf(sub.id);
    // 2,500 calls = 3 packages of 1,000 at $2.00; storage 1,200 GB-days graduated: 1,000 × 2¢ + 200 × 1¢ = $22.00.
    expect((await usageLines(renewal.id)).map((l) => [l.description, l.quantity, l.amount, l.periodStart, l.periodEnd])).toEqual([
      ['API calls: 2,500 calls', 2500, 600, new Date('2027-02-10T09:00:00Z'), new Date('2027-03-10T09:00:00Z')],
      ['Storage: 1,200 GB-days', 1200, 2200, new Date('2027-02-10T09:00:00Z'), new Date('2027-03-10T09:00:00Z')],
    ]);
    expect(renewal.subtotal).toBe(900 + 600 + 2200);

    // Late: dated in the invoiced period, received after it was invoiced. Not lost: on the next invoice.
    const late = new Date('2027-03-12T00:00:00Z');
    await post(event(sub, 'p1-late', 1000, new Date('2027-03-09T23:00:00Z')), late);
    const now = (await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id)))[0];
    expect((await usageSoFar(db(), [now])).get(now.id)!.find((u) => u.meterKey === 'api_calls')?.quantity).toBe(1010);
    await runBilling(deps(), new Date('2027-04-10T10:00:00Z'));
    const [, third] = await renewalsOf(sub.id);
    expect((await usageLines(third.id)).map((l) => [l.description, l.amount])).toEqual([['API calls: 1,010 calls', 400]]);
  });

  it("bills the last period's usage when a subscription ends, and refuses usage afterwards", async () => {
    const { sub, user } = await meteredSubscription(new Date('2027-05-02T12:00:00Z'));
    const during = new Date('2027-05-20T00:00:00Z');
    await post(event(sub, 'end-1', 4200, during), during);
    await cancelSubscription({ ...deps(), downgradePolicy: 'at_period_end' }, user.id, sub.id, { atPeriodEnd: true }, during);
    await runBilling(deps(), new Date('2027-06-02T13:00:00Z'));
    expect((await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id)))[0].status).toBe('canceled');
    const last = (await invoicesOf(sub.id)).find((i) => i.billingReason === 'subscription_end')!;
    expect(last).toMatchObject({ status: 'open', subtotal: 1000 });
    expect((await usageLines(last.id)).map((l) => l.description)).toEqual(['API calls: 4,200 calls']);
    const after = new Date('2027-06-03T00:00:00Z');
    const refused = await post(event(sub, 'end-2', 1, after), after);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('subscription_ended');
  });

  it('bills usage up to the moment a subscription is canceled now, and more than 2^31 units on one line', async () => {
    const { sub, user } = await meteredSubscription(new Date('2027-07-01T12:00:00Z'));
    const during = new Date('2027-07-10T00:00:00Z');
    await post(event(sub, 'big-1', 3_000_000_000, during), during);
    const canceledAt = new Date('2027-07-15T00:00:00Z');
    await cancelSubscription({ ...deps(), downgradePolicy: 'at_period_end' }, user.id, sub.id, { atPeriodEnd: false }, canceledAt);
    await runBilling(deps(), new Date('2027-07-15T00:15:00Z'));
    const last = (await invoicesOf(sub.id)).find((i) => i.billingReason === 'subscription_end')!;
    // 3,000,000,000 calls = 3,000,000 packages at $2.00.
    expect(last).toMatchObject({ status: 'open', subtotal: 600_000_000, periodEnd: canceledAt });
    expect((await usageLines(last.id)).map((l) => [l.quantity, l.amount])).toEqual([[3_000_000_000, 600_000_000]]);
    // Looked at once: the next run bills nothing more.
    await runBilling(deps(), new Date('2027-07-16T00:00:00Z'));
    expect((await invoicesOf(sub.id)).filter((i) => i.billingReason === 'subscription_end')).toHaveLength(1);
  });

  it('a subscription whose renewal fails (a broken metered price) does not hold up the others', async () => {
    const at = new Date('2027-09-01T08:00:00Z');
    const broken = await meteredSubscription(at);
    const fine = await meteredSubscription(at);
    const [meter] = await db().select().from(meters).where(eq(meters.key, 'storage_gb'));
    const [addOn] = await db().select().from(prices).where(eq(prices.lookupKey, 'api_calls_month_usd'));
    const [bad] = await db().insert(prices).values({ productId: addOn.productId, lookupKey: `broken_${Date.now()}`, type: 'recurring', currency: 'USD', unitAmount: 1, interval: 'month', intervalCount: 1, usageType: 'metered', pricingModel: 'flat', meterId: meter.id }).returning();
    await db().insert(subscriptionItems).values({ subscriptionId: broken.sub.id, priceId: bad.id, meterId: meter.id });
    const during = new Date('2027-09-15T00:00:00Z');
    await post({ ...event(broken.sub, 'broken-1', 5, during), meter: 'storage_gb' }, during);
    const result = await runBilling(deps(), new Date('2027-10-01T09:00:00Z'));
    expect(result).toMatchObject({ failed: 1 });
    expect(await renewalsOf(fine.sub.id)).toHaveLength(1);
    expect(await renewalsOf(broken.sub.id)).toHaveLength(0);
  });
});
