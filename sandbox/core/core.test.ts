/** The shared core: settings, clock, atomic persistence, deliverer backoff, control surface, restart. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../server';
import { createClock } from './clock';
import { createDeliverer } from './deliverer';
import { DEFAULT_SANDBOX_PORT, DEFAULT_STRIPE_SECRET_KEY } from './defaults';
import { JsonFileStore } from './persistence';
import { assertNotProduction, settingsFromEnv } from './settings';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-core-'));
const env = (vars: Record<string, string>) => ({ NODE_ENV: 'test', ...vars }) as NodeJS.ProcessEnv;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('settings', () => {
  it('uses the documented defaults', () => {
    const s = settingsFromEnv(env({}));
    expect(s.port).toBe(DEFAULT_SANDBOX_PORT);
    expect(s.origin).toBe('http://127.0.0.1:12111');
    expect(s.appUrl).toBe('http://localhost:3000');
    expect(s.stateDir).toBe(path.resolve('.data/sandbox'));
    expect(s.stripe.secretKey).toBe(DEFAULT_STRIPE_SECRET_KEY);
    expect(s.chaos).toEqual({ duplicateRate: 0, reorder: false });
  });

  it('reads the environment and lists every bad setting at once', () => {
    const s = settingsFromEnv(env({ SANDBOX_PORT: '4000', DATA_DIR: '/tmp/x', SANDBOX_CHAOS_DUPLICATE_RATE: '0.5', SANDBOX_CHAOS_REORDER: 'true' }));
    expect(s.port).toBe(4000);
    expect(s.stateDir).toBe('/tmp/x/sandbox');
    expect(s.chaos).toEqual({ duplicateRate: 0.5, reorder: true });
    expect(() => settingsFromEnv(env({ SANDBOX_PORT: 'abc', STRIPE_SECRET_KEY: 'sk_live_x' }))).toThrow(/SANDBOX_PORT[\s\S]*STRIPE_SECRET_KEY/);
  });

  it('refuses production', async () => {
    expect(() => assertNotProduction(env({ APP_ENV: 'production' }))).toThrow(/production/);
    await expect(startSandbox({ port: 0, stateDir: tmp(), env: env({ APP_ENV: 'production' }) })).rejects.toThrow(/production/);
  });
});

describe('clock', () => {
  it('advances forward only and reports seconds', () => {
    let wall = 1_700_000_000_000;
    const clock = createClock(0, () => wall);
    clock.advance(3600);
    expect(clock.nowSeconds()).toBe(1_700_003_600);
    wall += 1000;
    expect(clock.now()).toBe(1_700_003_601_000);
    expect(() => clock.advance(-1)).toThrow();
  });
});

describe('persistence', () => {
  it('writes atomically and reads back', () => {
    const store = new JsonFileStore(tmp());
    expect(store.read('x')).toBeUndefined();
    store.write('x', { a: 1 });
    expect(store.read('x')).toEqual({ a: 1 });
    expect(fs.readdirSync(store.dir)).toEqual(['x.json']);
    expect(() => store.write('../evil', {})).toThrow();
  });
});

describe('deliverer', () => {
  it('backs off exponentially and gives up after the retry window', async () => {
    const wall = 1_000_000;
    const clock = createClock(0, () => wall);
    const server = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const deliverer = createDeliverer({ clock, chaos: () => ({ duplicateRate: 0, reorder: false }), giveUpAfterMs: 10_000, wallNow: () => wall });
    cleanups.push(() => deliverer.close());
    const signed: string[] = [];
    deliverer.registerSigner('stripe', (body: string) => {
      signed.push(body);
      return { 'x-test': '1' };
    });
    deliverer.enqueue({ provider: 'stripe', eventId: 'evt_1', eventType: 't', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, body: '{}' });
    const gaps: number[] = [];
    for (let i = 0; i < 10; i++) {
      await deliverer.flush();
      const [record] = deliverer.list();
      if (record.state !== 'pending') break;
      gaps.push(record.nextAttemptAt! - clock.now());
      clock.advance(Math.ceil((record.nextAttemptAt! - clock.now()) / 1000));
    }
    const [record] = deliverer.list();
    expect(record.state).toBe('failed');
    expect(gaps.slice(0, 3)).toEqual([1000, 2000, 4000]);
    expect(record.attempts.every((a) => a.status === 503)).toBe(true);
    expect(signed.length).toBe(record.attempts.length);
  });
});

describe('sandbox server', () => {
  it('keeps state across a restart, and reset forgets it', async () => {
    const stateDir = tmp();
    const first = await startSandbox({ port: 0, stateDir, appUrl: '', env: env({}) });
    const stripe = new Stripe(DEFAULT_STRIPE_SECRET_KEY, { host: '127.0.0.1', port: first.port, protocol: 'http' });
    const customer = await stripe.customers.create({ email: 'persist@example.com' });
    await fetch(`${first.origin}/_sandbox/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 86400 }) });
    await first.close();

    const second = await startSandbox({ port: 0, stateDir, appUrl: '', env: env({}) });
    cleanups.push(() => second.close());
    const again = new Stripe(DEFAULT_STRIPE_SECRET_KEY, { host: '127.0.0.1', port: second.port, protocol: 'http' });
    expect(((await again.customers.retrieve(customer.id)) as Stripe.Customer).email).toBe('persist@example.com');
    const clock = await (await fetch(`${second.origin}/_sandbox/clock`)).json();
    expect(clock.offsetSeconds).toBe(86400);

    expect((await fetch(`${second.origin}/_sandbox/reset`, { method: 'POST' })).status).toBe(200);
    await expect(again.customers.retrieve(customer.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await (await fetch(`${second.origin}/_sandbox/clock`)).json()).offsetSeconds).toBe(0);
  });

  it('answers unknown paths and control actions with 404, bad control input with 400', async () => {
    const sandbox = await startSandbox({ port: 0, stateDir: tmp(), appUrl: '', env: env({}) });
    cleanups.push(() => sandbox.close());
    const res = await fetch(`${sandbox.origin}/nowhere`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.type).toBe('invalid_request_error');
    expect((await fetch(`${sandbox.origin}/_sandbox/stripe/nope`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${sandbox.origin}/_sandbox/clock/advance`, { method: 'POST', body: '{"seconds":-5}' })).status).toBe(400);
    expect((await fetch(`${sandbox.origin}/_sandbox/chaos`, { method: 'POST', body: 'not json' })).status).toBe(400);
    const health = await (await fetch(`${sandbox.origin}/_sandbox/health`)).json();
    const paypalPresent = fs.existsSync(new URL('../paypal/index.ts', import.meta.url));
    expect(health.providers).toEqual(paypalPresent ? ['paypal', 'stripe'] : ['stripe']);
  });
});
