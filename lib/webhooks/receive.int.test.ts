import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEvents, webhookRejections } from '@/db/schema';
import { parseConfig } from '@/lib/config/schema';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';
import { signedStripeRequest, stripeEvent } from '@/test/webhooks';
import { handleWebhook } from './endpoint';
import { createEventBatcher } from './receive';
import { paypalVerifier, stripeVerifier } from './verifiers';

const parsed = parseConfig({});
if (!parsed.ok) throw new Error('config');
const config = parsed.config;

describe(`webhook receiving (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  // One batcher per database, as one web process has.
  const batchers = new WeakMap<TestDatabase, ReturnType<typeof createEventBatcher>>();
  const batcherOf = (db: TestDatabase) => batchers.get(db) ?? batchers.set(db, createEventBatcher(db.handle.db, db.boss)).get(db)!;
  const receive = (request: Request, storeEvent = batcherOf(t)) => handleWebhook({ db: t.handle.db, storeEvent }, 'stripe', request, stripeVerifier(config));
  const eventRows = async () => (await t.handle.db.select({ n: count() }).from(webhookEvents))[0].n;
  const queuedJobs = async () => {
    const result = await t.handle.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'webhook.process'`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ n: number }>;
    return rows[0].n;
  };

  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t?.close());

  it('stores a verified event and queues one processing job', async () => {
    const body = JSON.stringify(stripeEvent('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' }, 'evt_first'));
    const response = await receive(signedStripeRequest(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'queued' });
    const [row] = await t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, 'evt_first'));
    expect(row).toMatchObject({ provider: 'stripe', type: 'payment_intent.succeeded', status: 'received' });
    expect(await queuedJobs()).toBe(1);
  });

  it('acknowledges a repeat delivery without storing or queueing it again', async () => {
    const body = JSON.stringify(stripeEvent('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' }, 'evt_first'));
    const response = await receive(signedStripeRequest(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'duplicate' });
    expect(await eventRows()).toBe(1);
    expect(await queuedJobs()).toBe(1);
  });

  it('stores one row and one job when the same event arrives 20 times at once', async () => {
    const body = JSON.stringify(stripeEvent('charge.refunded', { id: 'ch_1', object: 'charge' }, 'evt_burst'));
    const responses = await Promise.all(Array.from({ length: 20 }, () => receive(signedStripeRequest(body))));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const outcomes = await Promise.all(responses.map(async (r) => (await r.json()).outcome));
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);
    expect(await eventRows()).toBe(2);
    expect(await queuedJobs()).toBe(2);
  });

  it('stores one row and one job when four processes (four batchers) receive the same event at once', async () => {
    const body = JSON.stringify(stripeEvent('charge.refunded', { id: 'ch_2', object: 'charge' }, 'evt_processes'));
    const processes = Array.from({ length: 4 }, () => createEventBatcher(t.handle.db, t.boss));
    const before = await eventRows();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => receive(signedStripeRequest(body), processes[i % 4])));
    const outcomes = await Promise.all(responses.map(async (r) => (await r.json()).outcome));
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(1);
    expect(await eventRows()).toBe(before + 1);
  });

  it('a batch holding an event the database refuses still stores the others', async () => {
    const store = createEventBatcher(t.handle.db, t.boss);
    const event = (id: string, payload: object = { id }) => ({ provider: 'stripe' as const, id, type: 'charge.refunded', payload });
    // The first call is written alone; the next two wait and form one batch, which jsonb refuses (a NUL escape).
    const results = await Promise.allSettled([store(event('evt_batch_1')), store(event('evt_batch_bad', { text: 'nul \u0000 here' })), store(event('evt_batch_2'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ids = (await t.handle.db.select({ id: webhookEvents.eventId }).from(webhookEvents)).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['evt_batch_1', 'evt_batch_2']));
    expect(ids).not.toContain('evt_batch_bad');
  });

  it('stores an event type without a handler as ignored and answers 2xx', async () => {
    const body = JSON.stringify(stripeEvent('customer.tax_id.created', { id: 'txi_1' }, 'evt_unknown'));
    const jobsBefore = await queuedJobs();
    const response = await receive(signedStripeRequest(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'ignored' });
    const [row] = await t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, 'evt_unknown'));
    expect(row.status).toBe('ignored');
    expect(await queuedJobs()).toBe(jobsBefore);
  });

  describe('refuses what it cannot verify, storing nothing', () => {
    const good = JSON.stringify(stripeEvent('payment_intent.succeeded', { id: 'pi_2', object: 'payment_intent' }, 'evt_rejected'));
    const cases: Array<[string, () => Request, number]> = [
      ['a wrong signature', () => signedStripeRequest(good, { signature: 't=1,v1=deadbeef' }), 400],
      ['a signature from another secret', () => signedStripeRequest(good, { secret: 'whsec_someone_else' }), 400],
      ['a timestamp outside the 300 s tolerance', () => signedStripeRequest(good, { timestamp: Math.floor(Date.now() / 1000) - 301 }), 400],
      ['a body altered after signing', () => new Request(signedStripeRequest(good), { body: good.replace('pi_2', 'pi_3') }), 400],
      ['a truncated body', () => new Request(signedStripeRequest(good), { body: good.slice(0, -5) }), 400],
      ['a body that is not JSON, correctly signed', () => signedStripeRequest('not json at all'), 400],
      ['a missing signature header', () => signedStripeRequest(good, { signature: null }), 400],
      ['the wrong content type', () => signedStripeRequest(good, { headers: { 'content-type': 'text/plain' } }), 415],
      ['a body over 1 MB', () => signedStripeRequest(JSON.stringify({ ...JSON.parse(good), pad: 'x'.repeat(1024 * 1024) })), 413],
    ];
    for (const [name, request, status] of cases) {
      it(name, async () => {
        const rowsBefore = await eventRows();
        const jobsBefore = await queuedJobs();
        const response = await receive(request());
        expect(response.status).toBe(status);
        expect((await response.json()).error).toBeTruthy();
        expect(await eventRows()).toBe(rowsBefore);
        expect(await queuedJobs()).toBe(jobsBefore);
      });
    }

    it('counts the rejections by reason, without bodies', async () => {
      const rows = await t.handle.db.select().from(webhookRejections);
      const total = rows.reduce((sum, r) => sum + r.count, 0);
      expect(total).toBe(cases.length);
      expect(rows.map((r) => r.reason).sort()).toEqual(
        ['body over 1 MB', 'missing Stripe-Signature header', 'unsupported content type', 'verification failed'].sort(),
      );
      expect(JSON.stringify(rows)).not.toContain('pi_2');
    });

    it('refuses PayPal requests without transmission headers or with a bad signature', async () => {
      const body = JSON.stringify({ id: 'WH-1', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'CAP1' } });
      const receivePaypal = (headers: Record<string, string>) =>
        handleWebhook({ db: t.handle.db, storeEvent: createEventBatcher(t.handle.db, t.boss) }, 'paypal', new Request('http://app.test/api/webhooks/paypal', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }), paypalVerifier(config));
      expect((await receivePaypal({})).status).toBe(400);
      const forged = {
        'paypal-transmission-id': 'abc',
        'paypal-transmission-time': new Date().toISOString(),
        'paypal-transmission-sig': Buffer.from('forged').toString('base64'),
        'paypal-cert-url': 'https://evil.example/cert.pem',
        'paypal-auth-algo': 'SHA256withRSA',
      };
      expect((await receivePaypal(forged)).status).toBe(400);
      expect(await t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.provider, 'paypal'))).toEqual([]);
    });
  });
});
