/**
 * Test harness for the PayPal half: the shared sandbox server (startSandbox) on a free port with a temp
 * state dir and only the PayPal provider mounted, a webhook receiver standing in for the app, and a small
 * API client that checks every response against PayPal's OpenAPI schemas.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../server';
import { createPaypalSandbox } from '../index';
import { validateResponse } from './schema.test-helper';

/** Response bodies are read loosely in tests: the schema check against PayPal's spec is what types them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret';
export const WEBHOOK_ID = 'WH-TEST-1234567890';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  event: { id: string; event_type: string; resource: Record<string, Loose>; [k: string]: unknown };
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer with this status (e.g. 500 to test retries). */
  status: number;
  waitFor(eventType: string, predicate?: (w: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const receiver: Receiver = {
    url: '',
    received,
    status: 200,
    async waitFor(eventType, predicate = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find((w) => w.event.event_type === eventType && predicate(w));
        if (hit) return hit;
        if (Date.now() > deadline) {
          throw new Error(`no ${eventType} webhook within ${timeoutMs} ms; got ${received.map((w) => w.event.event_type).join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (receiver.status >= 200 && receiver.status < 300) received.push({ headers: req.headers, body, event: JSON.parse(body) });
      res.writeHead(receiver.status);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

export function tempStateDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'paypal-sandbox-test-'));
}

export interface ApiResult {
  status: number;
  body: Loose;
  headers: Headers;
}

export interface TestPaypal {
  sandbox: RunningSandbox;
  base: string;
  stateDir: string;
  receiver: Receiver;
  token(): Promise<string>;
  /** Calls the API with a bearer token; checks the response against PayPal's schema unless told not to. */
  api(method: string, apiPath: string, options?: { body?: unknown; headers?: Record<string, string>; token?: string | null; schema?: boolean }): Promise<ApiResult>;
  control(action: string, body?: Record<string, unknown>): Promise<Loose>;
  /** The persisted state file. */
  stateFile(): Loose;
  close(): Promise<void>;
}

export async function startTestPaypal(options: { stateDir?: string; receiver?: Receiver } = {}): Promise<TestPaypal> {
  const receiver = options.receiver ?? (await startReceiver());
  const stateDir = options.stateDir ?? tempStateDir();
  const sandbox = await startSandbox({
    port: 0,
    stateDir,
    appUrl: receiver.url,
    paypal: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webhookId: WEBHOOK_ID },
    providers: [createPaypalSandbox],
    env: { NODE_ENV: 'test' } as NodeJS.ProcessEnv,
  });
  const base = `${sandbox.origin}/paypal`;
  let cached: string | null = null;
  const t: TestPaypal = {
    sandbox,
    base,
    stateDir,
    receiver,
    async token() {
      if (cached) return cached;
      const res = await fetch(`${base}/v1/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      if (res.status !== 200) throw new Error(`token: ${res.status}`);
      cached = ((await res.json()) as { access_token: string }).access_token;
      return cached;
    },
    async api(method, apiPath, opts = {}) {
      const token = opts.token === undefined ? await t.token() : opts.token;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${base}${apiPath}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
      });
      const text = await res.text();
      const body = text === '' ? undefined : JSON.parse(text);
      if (opts.schema !== false) {
        const errors = validateResponse(method, apiPath.split('?')[0], res.status, body);
        if (errors.length > 0) throw new Error(`${method} ${apiPath} ${res.status} fails PayPal's schema:\n  ${errors.join('\n  ')}\n${text}`);
      }
      return { status: res.status, body, headers: res.headers };
    },
    async control(action, body = {}) {
      const res = await fetch(`${sandbox.origin}/_sandbox/paypal/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = await res.json();
      if (res.status !== 200) throw Object.assign(new Error(`control ${action}: ${res.status} ${JSON.stringify(json)}`), { status: res.status, body: json });
      return json;
    },
    stateFile() {
      return JSON.parse(fs.readFileSync(path.join(stateDir, 'paypal.json'), 'utf8'));
    },
    async close() {
      await sandbox.close();
      if (!options.receiver) await receiver.close();
    },
  };
  return t;
}

export const usd = (value: string) => ({ currency_code: 'USD', value });

/** A CAPTURE order for one purchase unit. */
export function orderBody(value = '10.00', currency = 'USD', extra: Record<string, unknown> = {}) {
  return { intent: 'CAPTURE', purchase_units: [{ reference_id: 'default', amount: { currency_code: currency, value } }], ...extra };
}

/** Creates, approves (as the buyer) and captures an order; returns the capture id. */
export async function capturedOrder(p: TestPaypal, value = '10.00', currency = 'USD'): Promise<{ orderId: string; captureId: string }> {
  const created = await p.api('POST', '/v2/checkout/orders', { body: orderBody(value, currency) });
  await p.control('approve_order', { order_id: created.body.id });
  const captured = await p.api('POST', `/v2/checkout/orders/${created.body.id}/capture`, { body: {} });
  return { orderId: created.body.id, captureId: captured.body.purchase_units[0].payments.captures[0].id };
}
