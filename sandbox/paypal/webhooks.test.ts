import { createVerify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedOrder, orderBody, startTestPaypal, WEBHOOK_ID, type ReceivedWebhook, type TestPaypal } from './testing/harness.test-helper';
import { validateComponent } from './testing/schema.test-helper';
import { crc32 } from './webhooks';

let p: TestPaypal;
beforeAll(async () => {
  p = await startTestPaypal();
});
afterAll(async () => {
  await p.close();
});

/** What an app does offline: fetch the certificate and check the signature over PayPal's message. */
async function verifyOffline(w: ReceivedWebhook, webhookId = WEBHOOK_ID, body = w.body): Promise<boolean> {
  const h = w.headers;
  const pem = await (await fetch(String(h['paypal-cert-url']))).text();
  const cert = new X509Certificate(pem);
  const message = `${h['paypal-transmission-id']}|${h['paypal-transmission-time']}|${webhookId}|${crc32(body)}`;
  const verifier = createVerify('sha256');
  verifier.update(message);
  return verifier.verify(cert.publicKey, String(h['paypal-transmission-sig']), 'base64');
}

function verifyRequest(w: ReceivedWebhook, overrides: Record<string, unknown> = {}) {
  return {
    auth_algo: w.headers['paypal-auth-algo'],
    cert_url: w.headers['paypal-cert-url'],
    transmission_id: w.headers['paypal-transmission-id'],
    transmission_sig: w.headers['paypal-transmission-sig'],
    transmission_time: w.headers['paypal-transmission-time'],
    webhook_id: WEBHOOK_ID,
    webhook_event: JSON.parse(w.body),
    ...overrides,
  };
}

const RESOURCE_SCHEMAS: Record<string, [string, string]> = {
  'CHECKOUT.ORDER.APPROVED': ['checkout_orders_v2', 'order'],
  'PAYMENT.CAPTURE.COMPLETED': ['payments_payment_v2', 'capture-2'],
  'PAYMENT.CAPTURE.DENIED': ['payments_payment_v2', 'capture-2'],
  'PAYMENT.CAPTURE.REFUNDED': ['payments_payment_v2', 'refund'],
  'PAYMENT.CAPTURE.REVERSED': ['payments_payment_v2', 'refund'],
  'VAULT.PAYMENT-TOKEN.CREATED': ['vault_payment_tokens_v3', 'payment_token_response'],
  'VAULT.PAYMENT-TOKEN.DELETED': ['vault_payment_tokens_v3', 'payment_token_response'],
  'CUSTOMER.DISPUTE.CREATED': ['customer_disputes_v1', 'dispute'],
  'CUSTOMER.DISPUTE.RESOLVED': ['customer_disputes_v1', 'dispute'],
};

describe('webhook signatures', () => {
  it('computes CRC-32 as PayPal does (unsigned decimal)', () => {
    expect(crc32('123456789')).toBe(3421780262);
    expect(crc32('')).toBe(0);
    expect(crc32('{"a":"é"}')).toBe(crc32(Buffer.from('{"a":"é"}', 'utf8')));
  });

  it('delivers with PayPal transmission headers, verifiable offline against the served X.509 certificate', async () => {
    const { captureId } = await capturedOrder(p);
    const w = await p.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', (x) => x.event.resource.id === captureId);
    expect(w.headers['paypal-auth-algo']).toBe('SHA256withRSA');
    expect(w.headers['paypal-transmission-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(String(w.headers['paypal-transmission-time']))).not.toBeNaN();
    expect(String(w.headers['paypal-cert-url'])).toMatch(new RegExp(`^${p.base}/v1/notifications/certs/CERT-`));
    const cert = new X509Certificate(await (await fetch(String(w.headers['paypal-cert-url']))).text());
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(await verifyOffline(w)).toBe(true);
    expect(await verifyOffline(w, 'WH-OTHER')).toBe(false);
    expect(await verifyOffline(w, WEBHOOK_ID, w.body.replace('"COMPLETED"', '"DECLINED"'))).toBe(false);
  });

  it('verifies through POST /v1/notifications/verify-webhook-signature', async () => {
    const { captureId } = await capturedOrder(p);
    const w = await p.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', (x) => x.event.resource.id === captureId);
    const ok = await p.api('POST', '/v1/notifications/verify-webhook-signature', { body: verifyRequest(w) });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ verification_status: 'SUCCESS' });
    const tampered = { ...JSON.parse(w.body), summary: 'forged' };
    for (const overrides of [{ webhook_event: tampered }, { webhook_id: 'WH-OTHER' }, { transmission_id: 'abc-other' }, { auth_algo: 'SHA1withRSA' }]) {
      const res = await p.api('POST', '/v1/notifications/verify-webhook-signature', { body: verifyRequest(w, overrides) });
      expect(res.body.verification_status, JSON.stringify(Object.keys(overrides))).toBe('FAILURE');
    }
    const missing = await p.api('POST', '/v1/notifications/verify-webhook-signature', { body: { ...verifyRequest(w), transmission_sig: undefined } });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({ field: 'transmission_sig', issue: 'MISSING_REQUIRED_PARAMETER' });
    const noToken = await p.api('POST', '/v1/notifications/verify-webhook-signature', { body: verifyRequest(w), token: null });
    expect(noToken.status).toBe(401);
  });

  it('serves each event at /v1/notifications/webhooks-events/{id} and can resend it', async () => {
    const created = await p.api('POST', '/v2/checkout/orders', { body: orderBody() });
    await p.control('approve_order', { order_id: created.body.id });
    const w = await p.receiver.waitFor('CHECKOUT.ORDER.APPROVED', (x) => x.event.resource.id === created.body.id);
    const shown = await p.api('GET', `/v1/notifications/webhooks-events/${w.event.id}`);
    expect(shown.body).toEqual(w.event);
    const before = p.receiver.received.filter((x) => x.event.id === w.event.id).length;
    expect((await p.api('POST', `/v1/notifications/webhooks-events/${w.event.id}/resend`)).status).toBe(202);
    await p.sandbox.deliverer.flush();
    expect(p.receiver.received.filter((x) => x.event.id === w.event.id).length).toBe(before + 1);
  });
});

describe('events, triggers and disputes', () => {
  it('triggers every supported event type; each event and resource matches PayPal schemas', async () => {
    for (const type of Object.keys(RESOURCE_SCHEMAS)) {
      const start = p.receiver.received.length;
      const result = await p.control('trigger', { event_type: type });
      expect(result).toBeTruthy();
      const w = await p.receiver.waitFor(type, (x) => p.receiver.received.indexOf(x) >= start);
      expect(validateComponent('notifications_webhooks_v1', 'event', w.event), type).toEqual([]);
      const [file, schema] = RESOURCE_SCHEMAS[type];
      expect(validateComponent(file, schema, w.event.resource), type).toEqual([]);
      expect(await verifyOffline(w)).toBe(true);
    }
    await expect(p.control('trigger', { event_type: 'BILLING.SUBSCRIPTION.CREATED' })).rejects.toMatchObject({ status: 400 });
    await expect(p.control('no_such_action')).rejects.toMatchObject({ status: 404 });
  });

  it('opens a dispute on a capture, lists and shows it, and a buyer win reverses the payment', async () => {
    const { captureId } = await capturedOrder(p, '40.00');
    const opened = await p.control('open_dispute', { capture_id: captureId, reason: 'UNAUTHORISED' });
    expect(opened.status).toBe('WAITING_FOR_SELLER_RESPONSE');
    const created = await p.receiver.waitFor('CUSTOMER.DISPUTE.CREATED', (w) => w.event.resource.dispute_id === opened.dispute_id);
    expect(created.event.resource.disputed_transactions[0].seller_transaction_id).toBe(captureId);

    const shown = await p.api('GET', `/v1/customer/disputes/${opened.dispute_id}`);
    expect(shown.body.reason).toBe('UNAUTHORISED');
    expect(shown.body.dispute_amount).toEqual({ currency_code: 'USD', value: '40.00' });
    const list = await p.api('GET', `/v1/customer/disputes?disputed_transaction_id=${captureId}`);
    expect(list.body.items.map((d: { dispute_id: string }) => d.dispute_id)).toEqual([opened.dispute_id]);
    expect((await p.api('GET', '/v1/customer/disputes/PP-D-0')).status).toBe(404);

    const partial = await p.api('POST', `/v2/payments/captures/${captureId}/refund`, { body: { amount: { currency_code: 'USD', value: '1.00' } } });
    expect(partial.body.details[0].issue).toBe('TRANSACTION_DISPUTED');

    const resolved = await p.control('resolve_dispute', { dispute_id: opened.dispute_id, outcome: 'buyer' });
    expect(resolved.dispute_outcome.outcome_code).toBe('RESOLVED_BUYER_FAVOUR');
    const reversed = await p.receiver.waitFor('PAYMENT.CAPTURE.REVERSED', (w) => w.event.resource.links.some((l: { href: string }) => l.href.endsWith(captureId)));
    expect(reversed.event.resource.amount.value).toBe('40.00');
    await p.receiver.waitFor('CUSTOMER.DISPUTE.RESOLVED', (w) => w.event.resource.dispute_id === opened.dispute_id);
    const refund = await p.api('POST', `/v2/payments/captures/${captureId}/refund`, { body: {} });
    expect(refund.body.details[0].issue).toBe('CAPTURE_FULLY_REFUNDED');
    await expect(p.control('resolve_dispute', { dispute_id: opened.dispute_id })).rejects.toMatchObject({ status: 422 });
  });

  it('a seller win changes no money; accept-claim resolves in the buyer favour', async () => {
    const a = await capturedOrder(p, '12.00');
    const d1 = await p.control('open_dispute', { capture_id: a.captureId, amount: '5.00' });
    await p.control('resolve_dispute', { dispute_id: d1.dispute_id, outcome: 'seller' });
    expect((await p.api('GET', `/v2/payments/captures/${a.captureId}`)).body.status).toBe('COMPLETED');
    const d2 = await p.control('open_dispute', { capture_id: a.captureId, amount: '5.00' });
    const accepted = await p.api('POST', `/v1/customer/disputes/${d2.dispute_id}/accept-claim`, { body: { note: 'ok' } });
    expect(accepted.status).toBe(200);
    expect((await p.api('GET', `/v1/customer/disputes/${d2.dispute_id}`)).body.status).toBe('RESOLVED');
    const capture = await p.api('GET', `/v2/payments/captures/${a.captureId}`);
    expect(capture.body.status).toBe('PARTIALLY_REFUNDED');
    await expect(p.control('open_dispute', { capture_id: 'NOPE' })).rejects.toMatchObject({ status: 404 });
  });

  it('retries a failed delivery with backoff until the app answers 2xx', async () => {
    p.receiver.status = 500;
    const created = await p.api('POST', '/v2/checkout/orders', { body: orderBody() });
    await p.control('approve_order', { order_id: created.body.id });
    await p.sandbox.deliverer.flush();
    const [record] = p.sandbox.deliverer.list({ provider: 'paypal' }).filter((d) => d.state === 'pending');
    expect(record.attempts.length).toBeGreaterThanOrEqual(1);
    p.receiver.status = 200;
    p.sandbox.clock.advance(3600);
    p.sandbox.deliverer.poke();
    await p.receiver.waitFor('CHECKOUT.ORDER.APPROVED', (w) => w.event.resource.id === created.body.id);
    expect(p.sandbox.deliverer.list({ eventId: record.eventId })[0].state).toBe('delivered');
  });
});
