/**
 * Test harness: a sandbox on a free port with a temp state dir, the official `stripe` SDK pointed at it
 * (recording every raw response so each one is checked against the spec), and a webhook receiver that
 * verifies signatures with stripe.webhooks.constructEvent.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../server';
import { validateResponse } from './schema.test-helper';

export const SECRET_KEY = 'sk_test_harness_1111111111111111111111111';
export const PUBLISHABLE_KEY = 'pk_test_harness_1111111111111111111111111';
export const WEBHOOK_SECRET = 'whsec_harness_111111111111111111111111111';

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export function tempStateDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-'));
}

export async function startTestSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    stateDir: options.stateDir ?? tempStateDir(),
    appUrl: '',
    ...options,
    stripe: { secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY, webhookSecret: WEBHOOK_SECRET, ...options.stripe },
    env: { NODE_ENV: "test" } as NodeJS.ProcessEnv,
  });
}

/** The official SDK against the sandbox, recording every raw JSON response. */
export function sdkFor(sandbox: { port: number }, key = SECRET_KEY) {
  const recorded: RecordedResponse[] = [];
  const inner = Stripe.createNodeHttpClient();
  const client = Object.create(inner) as typeof inner;
  client.makeRequest = async (...args: Parameters<typeof inner.makeRequest>) => {
    const [, , requestPath, method] = args;
    const res = await inner.makeRequest(...args);
    const toJSON = res.toJSON.bind(res);
    res.toJSON = async () => {
      const json = await toJSON();
      recorded.push({ method, path: String(requestPath).split('?')[0], status: res.getStatusCode(), body: structuredClone(json) });
      return json;
    };
    return res;
  };
  const stripe = new Stripe(key, {
    host: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    httpClient: client,
    maxNetworkRetries: 0,
  });
  return {
    stripe,
    recorded,
    /** Every response recorded so far (since the last call) must match its schema; returns how many were checked. */
    checkSchemas(): number {
      const failures: string[] = [];
      const batch = recorded.splice(0);
      for (const r of batch) {
        const errors = validateResponse(r.method, r.path, r.status, r.body);
        if (errors.length > 0) failures.push(`${r.method} ${r.path} ${r.status}:\n  ${errors.join('\n  ')}`);
      }
      if (failures.length > 0) throw new Error(`responses failing Stripe's schema:\n${failures.join('\n')}`);
      return batch.length;
    },
  };
}

export interface WebhookReceiver {
  url: string;
  events: Stripe.Event[];
  rejected: number;
  /** Answer 500 to the next n deliveries. */
  failNext(n: number): void;
  waitFor(predicate: (events: Stripe.Event[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret = WEBHOOK_SECRET): Promise<WebhookReceiver> {
  const verifier = new Stripe(SECRET_KEY);
  let failures = 0;
  const receiver: Omit<WebhookReceiver, 'url'> & { url: string } = {
    url: '',
    events: [],
    rejected: 0,
    failNext(n) {
      failures = n;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const started = Date.now();
      while (!predicate(receiver.events)) {
        if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for webhooks; got ${receiver.events.map((e) => e.type).join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (failures > 0) {
        failures--;
        res.writeHead(500).end('failing on purpose');
        return;
      }
      try {
        const event = verifier.webhooks.constructEvent(body, String(req.headers['stripe-signature']), secret);
        receiver.events.push(event);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      } catch {
        receiver.rejected++;
        res.writeHead(400).end('bad signature');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
