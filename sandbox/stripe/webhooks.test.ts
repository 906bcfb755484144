/** Webhooks: Stripe's signature (constructEvent accepts it), API-created endpoints, retries, chaos. */
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../server';
import { sdkFor, startTestSandbox, startWebhookReceiver, type WebhookReceiver } from './testing/harness.test-helper';
import { validateAgainstSchemaName } from './testing/schema.test-helper';

let sandbox: RunningSandbox;
let receiver: WebhookReceiver;
let stripe: Stripe;
let checkSchemas: () => number;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- control answers are JSON of many shapes, read field by field
async function control(path: string, body: unknown = {}): Promise<any> {
  const res = await fetch(`${sandbox.origin}/_sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await startTestSandbox({ appUrl: receiver.url });
  ({ stripe, checkSchemas } = sdkFor(sandbox));
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
afterEach(async () => {
  checkSchemas();
  await control('/chaos', { duplicateRate: 0, reorder: false });
  receiver.failNext(0);
});

describe('webhook delivery', () => {
  it('delivers signed events for a payment to /api/webhooks/stripe, in order', async () => {
    receiver.events.length = 0;
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    await receiver.waitFor((events) => events.some((e) => e.type === 'payment_intent.succeeded'));
    const mine = receiver.events.filter((e) => JSON.stringify(e.data.object).includes(pi.id));
    expect(mine.map((e) => e.type)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    for (const event of mine) {
      expect(validateAgainstSchemaName('event', event)).toEqual([]);
      const schema = event.type.startsWith('charge.') ? 'charge' : 'payment_intent';
      expect(validateAgainstSchemaName(schema, event.data.object)).toEqual([]);
    }
    expect(receiver.rejected).toBe(0);
    const deliveries = await (await fetch(`${sandbox.origin}/_sandbox/deliveries?eventId=${mine[2].id}`)).json();
    expect(deliveries.data).toHaveLength(1);
    expect(deliveries.data[0].state).toBe('delivered');
    expect(deliveries.data[0].url).toBe(`${receiver.url}/api/webhooks/stripe`);
    const detail = await (await fetch(`${sandbox.origin}/_sandbox/deliveries/${deliveries.data[0].id}`)).json();
    expect(JSON.parse(detail.body).id).toBe(mine[2].id);
  });

  it('a wrong secret is rejected by constructEvent (the signature is real)', async () => {
    const other = await startWebhookReceiver('whsec_not_the_right_one_0000000000000000');
    const endpoint = await stripe.webhookEndpoints.create({ url: `${other.url}/hook`, enabled_events: ['customer.created'] });
    await stripe.customers.create({});
    await sandbox.deliverer.flush();
    expect(other.rejected).toBeGreaterThan(0);
    expect(other.events).toHaveLength(0);
    await stripe.webhookEndpoints.del(endpoint.id);
    await other.close();
  });

  it('delivers to endpoints created through the API with their own secret, filtered by enabled_events', async () => {
    const first = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/placeholder', enabled_events: ['charge.refunded'] });
    expect(first.secret).toMatch(/^whsec_/);
    const own = await startWebhookReceiver(first.secret!);
    const endpoint = await stripe.webhookEndpoints.update(first.id, { url: `${own.url}/hook` });
    expect(endpoint.secret).toBeUndefined();
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    await stripe.refunds.create({ payment_intent: pi.id, amount: 300 });
    await own.waitFor((events) => events.length > 0);
    await sandbox.deliverer.flush();
    expect(own.events.map((e) => e.type)).toEqual(['charge.refunded']);
    expect((own.events[0].data.object as Stripe.Charge).amount_refunded).toBe(300);
    expect(own.events[0].data.previous_attributes).toMatchObject({ amount_refunded: 0 });
    const listed = await stripe.webhookEndpoints.list();
    expect(listed.data.map((e) => e.id)).toContain(first.id);
    await stripe.webhookEndpoints.del(first.id);
    await own.close();
  });

  it('retries with backoff while the endpoint fails, then delivers', async () => {
    receiver.failNext(2);
    const customer = await stripe.customers.create({ email: 'retry@example.com' });
    const created = (await stripe.events.list({ type: 'customer.created', limit: 1 })).data[0];
    expect((created.data.object as Stripe.Customer).id).toBe(customer.id);
    await sandbox.deliverer.flush();
    let [record] = sandbox.deliverer.list({ eventId: created.id });
    expect(record.state).toBe('pending');
    expect(record.attempts.map((a) => a.status)).toEqual([500]);
    const firstRetryAt = record.nextAttemptAt!;
    expect(firstRetryAt).toBeGreaterThan(record.attempts[0].at);
    // Advance sandbox time past the backoff: the retry becomes due.
    await control('/clock/advance', { seconds: 2 });
    await sandbox.deliverer.flush();
    [record] = sandbox.deliverer.list({ eventId: created.id });
    expect(record.attempts.map((a) => a.status)).toEqual([500, 500]);
    expect(record.nextAttemptAt! - record.attempts[1].at).toBeGreaterThan(firstRetryAt - record.attempts[0].at);
    await control('/clock/advance', { seconds: 5 });
    await sandbox.deliverer.flush();
    [record] = sandbox.deliverer.list({ eventId: created.id });
    expect(record.state).toBe('delivered');
    expect(receiver.events.filter((e) => e.id === created.id)).toHaveLength(1);
  });

  it('chaos: duplicates deliveries and delivers out of order', async () => {
    await control('/chaos', { duplicateRate: 1, reorder: true });
    receiver.events.length = 0;
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    await sandbox.deliverer.flush();
    const mine = receiver.events.filter((e) => JSON.stringify(e.data.object).includes(pi.id));
    expect(mine).toHaveLength(6);
    const ids = mine.map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
    const created = (await stripe.events.list({ limit: 3 })).data.reverse().map((e) => e.id);
    const firstSeen = ids.filter((id, i) => ids.indexOf(id) === i);
    expect(firstSeen).not.toEqual(created);
    const duplicates = sandbox.deliverer.list().filter((d) => d.duplicateOf && created.includes(d.eventId));
    expect(duplicates).toHaveLength(3);
  });

  it('trigger emits the event like `stripe trigger`', async () => {
    const result = await control('/stripe/trigger', { event: 'payment_intent.succeeded' });
    expect(result.events.map((e: { type: string }) => e.type)).toContain('payment_intent.succeeded');
    for (const event of ['charge.refunded', 'charge.dispute.created', 'setup_intent.succeeded', 'payment_intent.payment_failed', 'checkout.session.completed']) {
      const r = await control('/stripe/trigger', { event });
      expect(r.events.map((e: { type: string }) => e.type)).toContain(event);
    }
    const res = await fetch(`${sandbox.origin}/_sandbox/stripe/trigger`, { method: 'POST', body: JSON.stringify({ event: 'nope.nope' }) });
    expect(res.status).toBe(400);
  });

  it('every event recorded so far carries a data.object valid against its own schema', async () => {
    const seen = new Set<string>();
    let checked = 0;
    for await (const event of stripe.events.list({ limit: 100 })) {
      const object = event.data.object as { object: string; deleted?: boolean };
      const schema = object.deleted ? `deleted_${object.object}` : object.object;
      expect(validateAgainstSchemaName(schema, object), `${event.type} ${event.id}`).toEqual([]);
      seen.add(event.type);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    expect(seen.size).toBeGreaterThan(10);
  });
});
