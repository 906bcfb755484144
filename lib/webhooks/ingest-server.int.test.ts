import type { AddressInfo } from 'node:net';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEvents } from '@/db/schema';
import { parseConfig } from '@/lib/config/schema';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';
import { signedStripeRequest, stripeEvent } from '@/test/webhooks';
import { createWebhookIngestServer } from './ingest-server';
import { createEventBatcher } from './receive';

const parsed = parseConfig({});
if (!parsed.ok) throw new Error('config');

describe(`the plain Node webhook server (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  let server: ReturnType<typeof createWebhookIngestServer>;
  let base = '';
  const rows = async () => (await t.handle.db.select({ n: count() }).from(webhookEvents))[0].n;
  /** Sends a test Request's method, headers and body to the server. */
  const send = async (request: Request, path = '/api/webhooks/stripe') =>
    fetch(`${base}${path}`, { method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : await request.text() });

  beforeAll(async () => {
    t = await openTestDatabase();
    server = createWebhookIngestServer({ db: t.handle.db, storeEvent: createEventBatcher(t.handle.db, t.boss), config: parsed.config });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it('stores a signed event once, however often and however concurrently it comes', async () => {
    const body = JSON.stringify(stripeEvent('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' }, 'evt_ingest'));
    const responses = await Promise.all(Array.from({ length: 10 }, () => send(signedStripeRequest(body))));
    const outcomes = await Promise.all(responses.map(async (r) => (await r.json()).outcome));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
    expect(await t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, 'evt_ingest'))).toHaveLength(1);
  });

  it('refuses what it cannot verify or does not serve, storing nothing', async () => {
    const before = await rows();
    const good = JSON.stringify(stripeEvent('payment_intent.succeeded', { id: 'pi_2', object: 'payment_intent' }, 'evt_ingest_bad'));
    const huge = JSON.stringify({ ...stripeEvent('payment_intent.succeeded', { id: 'pi_3' }), pad: 'x'.repeat(1024 * 1024) });
    const cases: Array<[string, Promise<Response>, number]> = [
      ['a wrong signature', send(signedStripeRequest(good, { secret: 'whsec_other' })), 400],
      ['an altered body', send(new Request('http://x', { method: 'POST', headers: signedStripeRequest(good).headers, body: good.replace('pi_2', 'pi_9') })), 400],
      ['a body over 1 MB', send(signedStripeRequest(huge)), 413],
      ['GET', fetch(`${base}/api/webhooks/stripe`), 405],
      ['another path', fetch(`${base}/api/checkout`, { method: 'POST' }), 404],
      ['PayPal without its headers', send(new Request('http://x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), '/api/webhooks/paypal'), 400],
    ];
    for (const [what, response, status] of cases) expect((await response).status, what).toBe(status);
    expect(await rows()).toBe(before);
  });

  it('serves usage ingestion too: a bad key is refused with 401 there as in Next.js', async () => {
    const response = await fetch(`${base}/api/usage/events`, { method: 'POST', headers: { authorization: 'Bearer usk_nope', 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('unauthorized');
  });
});
