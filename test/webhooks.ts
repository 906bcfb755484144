/** Signed webhook requests for tests, made the way each provider signs them. */
import Stripe from 'stripe';

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
