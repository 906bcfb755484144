import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../server';
import { createPaypalSandbox } from './index';
import { capturedOrder, orderBody, startReceiver, startTestPaypal, tempStateDir, type Receiver } from './testing/harness.test-helper';

const receivers: Receiver[] = [];
afterAll(async () => {
  for (const r of receivers) await r.close();
});

describe('PayPal sandbox lifecycle', () => {
  it('keeps orders, captures, tokens and its signing certificate across a restart', async () => {
    const stateDir = tempStateDir();
    const receiver = await startReceiver();
    receivers.push(receiver);
    const first = await startTestPaypal({ stateDir, receiver });
    const token = await first.token();
    const { orderId, captureId } = await capturedOrder(first, '11.00');
    const cert = (await first.control('info')).cert_url.split('/').pop();
    await first.close();

    const second = await startTestPaypal({ stateDir, receiver });
    try {
      const order = await second.api('GET', `/v2/checkout/orders/${orderId}`, { token });
      expect(order.status).toBe(200);
      expect(order.body.status).toBe('COMPLETED');
      expect((await second.api('GET', `/v2/payments/captures/${captureId}`, { token })).body.amount.value).toBe('11.00');
      expect((await second.control('info')).cert_url.split('/').pop()).toBe(cert);
      const refund = await second.api('POST', `/v2/payments/captures/${captureId}/refund`, { body: {}, token });
      expect(refund.status).toBe(201);
    } finally {
      await second.close();
    }
  });

  it('reset forgets orders but keeps the certificate', async () => {
    const p = await startTestPaypal();
    try {
      const created = await p.api('POST', '/v2/checkout/orders', { body: orderBody() });
      const before = (await p.control('info')).cert_url;
      const res = await fetch(`${p.sandbox.origin}/_sandbox/reset`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect((await p.api('GET', `/v2/checkout/orders/${created.body.id}`)).status).toBe(404);
      expect((await p.control('info')).cert_url).toBe(before);
    } finally {
      await p.close();
    }
  });

  it('refuses to start in production', async () => {
    await expect(
      startSandbox({ port: 0, stateDir: tempStateDir(), providers: [createPaypalSandbox], env: { NODE_ENV: 'production', APP_ENV: 'production' } as NodeJS.ProcessEnv }),
    ).rejects.toThrow(/production/);
  });

  it('answers only under /paypal, with PayPal-shaped 404/405 and CORS preflight', async () => {
    const p = await startTestPaypal();
    try {
      const missing = await fetch(`${p.base}/v2/nothing-here`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { name: string }).name).toBe('RESOURCE_NOT_FOUND');
      const wrongMethod = await fetch(`${p.base}/v2/checkout/orders`, { method: 'GET', headers: { authorization: `Bearer ${await p.token()}` } });
      expect(wrongMethod.status).toBe(405);
      const preflight = await fetch(`${p.base}/v2/checkout/orders`, { method: 'OPTIONS' });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('paypal-request-id');
      const stripeSide = await fetch(`${p.sandbox.origin}/paypalx`);
      expect(stripeSide.status).toBe(404);
      expect(((await stripeSide.json()) as { error?: unknown }).error).toBeDefined();
    } finally {
      await p.close();
    }
  });

  it('sends every event twice under chaos duplication, with the same event id', async () => {
    const p = await startTestPaypal();
    try {
      await fetch(`${p.sandbox.origin}/_sandbox/chaos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ duplicateRate: 1 }) });
      const created = await p.api('POST', '/v2/checkout/orders', { body: orderBody() });
      await p.control('approve_order', { order_id: created.body.id });
      await p.sandbox.deliverer.flush();
      const copies = p.receiver.received.filter((w) => w.event.event_type === 'CHECKOUT.ORDER.APPROVED' && w.event.resource.id === created.body.id);
      expect(copies).toHaveLength(2);
      expect(copies[0].event.id).toBe(copies[1].event.id);
      expect(copies[0].headers['paypal-transmission-id']).not.toBe(copies[1].headers['paypal-transmission-id']);
    } finally {
      await p.close();
    }
  });
});
