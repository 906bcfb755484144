import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, orderBody, startTestPaypal, type Loose, type TestPaypal } from './testing/harness.test-helper';

let p: TestPaypal;
beforeAll(async () => {
  p = await startTestPaypal();
});
afterAll(async () => {
  await p.close();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenRequest(authorization: string | undefined, body = 'grant_type=client_credentials') {
  const res = await fetch(`${p.base}/v1/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as Loose };
}

describe('OAuth 2 client credentials', () => {
  it('issues a bearer token for the configured client id and secret', async () => {
    const res = await tokenRequest(basic(CLIENT_ID, CLIENT_SECRET));
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(res.body.expires_in).toBe(32400);
    expect(res.body.access_token).toMatch(/^A21AA/);
    expect(res.body.scope).toContain('https://uri.paypal.com/services/payments/payment');
    const order = await p.api('POST', '/v2/checkout/orders', { body: orderBody(), token: res.body.access_token });
    expect(order.status).toBe(201);
  });

  it('refuses a wrong secret, a missing Authorization header and a missing or wrong grant type', async () => {
    expect(await tokenRequest(basic(CLIENT_ID, 'nope'))).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client Authentication failed' },
    });
    expect((await tokenRequest(undefined)).status).toBe(401);
    expect(await tokenRequest(basic(CLIENT_ID, CLIENT_SECRET), '')).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' },
    });
    expect((await tokenRequest(basic(CLIENT_ID, CLIENT_SECRET), 'grant_type=password')).body.error).toBe('unsupported_grant_type');
  });

  it('answers 401 AUTHENTICATION_FAILURE without a token or with an unknown one', async () => {
    for (const token of [null, 'A21AAnot-a-real-token']) {
      const res = await p.api('GET', '/v2/checkout/orders/5O190127TN364715T', { token });
      expect(res.status).toBe(401);
      expect(res.body.name).toBe('AUTHENTICATION_FAILURE');
      expect(res.body.debug_id).toMatch(/^[0-9a-f]+$/);
    }
  });

  it('expires tokens after expires_in seconds of sandbox time, and a new token works', async () => {
    const first = (await tokenRequest(basic(CLIENT_ID, CLIENT_SECRET))).body.access_token as string;
    const created = await p.api('POST', '/v2/checkout/orders', { body: orderBody(), token: first });
    expect(created.status).toBe(201);
    p.sandbox.clock.advance(32_399);
    expect((await p.api('GET', `/v2/checkout/orders/${created.body.id}`, { token: first })).status).toBe(200);
    p.sandbox.clock.advance(2);
    const expired = await p.api('GET', `/v2/checkout/orders/${created.body.id}`, { token: first, schema: false });
    expect(expired.status).toBe(401);
    expect(expired.body.name).toBe('AUTHENTICATION_FAILURE');
    const second = (await tokenRequest(basic(CLIENT_ID, CLIENT_SECRET))).body.access_token as string;
    expect((await p.api('GET', `/v2/checkout/orders/${created.body.id}`, { token: second })).status).toBe(200);
  });

  it('expire_tokens control action makes current tokens fail', async () => {
    const token = (await tokenRequest(basic(CLIENT_ID, CLIENT_SECRET))).body.access_token as string;
    expect((await p.api('POST', '/v2/checkout/orders', { body: orderBody(), token })).status).toBe(201);
    const result = await p.control('expire_tokens');
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await p.api('POST', '/v2/checkout/orders', { body: orderBody(), token })).status).toBe(401);
  });
});
