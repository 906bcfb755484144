/** Signed webhook requests for tests, made the way each provider signs them. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { webhookEvents, type WebhookEvent } from '@/db/schema';
import { processWebhookEvent } from '@/lib/webhooks/process';
import { storeVerifiedEvent } from '@/lib/webhooks/receive';
import { processingDepsOf, type DatabaseAndSandbox } from './sandbox';

export const STRIPE_TEST_SECRET = 'whsec_sandbox_00000000000000000000000000';

export function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_test_${Math.random().toString(36).slice(2)}`) {
  return { id, object: 'event', type, api_version: '2024-04-10', created: Math.floor(Date.now() / 1000), livemode: false, data: { object } };
}

export function signedStripeRequest(
  body: string,
  options: { secret?: string; timestamp?: number; headers?: Record<string, string>; signature?: string | null } = {},
): Request {
  const signature =
    options.signature === undefined
      ? Stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? STRIPE_TEST_SECRET, timestamp: options.timestamp })
      : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (signature !== null) headers['stripe-signature'] = signature;
  return new Request('http://app.test/api/webhooks/stripe', { method: 'POST', headers, body });
}

/** Stores a verified event as received (Stripe's `data.object`, or PayPal's `resource`); returns its row id. */
export async function storeTestEvent(env: DatabaseAndSandbox, provider: 'stripe' | 'paypal', type: string, object: Record<string, unknown>): Promise<string> {
  const id = provider === 'stripe' ? `evt_test_${randomUUID()}` : `WH-TEST-${randomUUID()}`;
  const payload = provider === 'stripe' ? stripeEvent(type, object, id) : { id, event_type: type, resource: object };
  await storeVerifiedEvent(env.t.handle.db, env.t.boss, { provider, id, type, payload });
  const [row] = await env.t.handle.db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.eventId, id));
  return row.id;
}

/** Processes a stored event as the queue would; returns its row afterwards. */
export async function processTestEvent(env: DatabaseAndSandbox, rowId: string): Promise<WebhookEvent> {
  await processWebhookEvent(processingDepsOf(env), rowId, { lastAttempt: false });
  const [row] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.id, rowId));
  return row;
}
