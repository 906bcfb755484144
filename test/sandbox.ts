/**
 * The provider sandbox for integration tests, in this process, on a free port with fresh state, and
 * the app settings that point at it. Tests may use the sandbox directly; the app itself never does.
 */
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parseConfig, type AppConfig } from '@/lib/config/schema';
import { createGateways, type Gateways } from '@/lib/payments/gateways';
import { startSandbox, type RunningSandbox } from '@/sandbox/server';
import { openTestDatabase, type TestDatabase } from './database';
import { testBillingSettings } from './settings';

export interface TestSandbox {
  sandbox: RunningSandbox;
  config: AppConfig;
  control(path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function startTestSandbox(options: { appUrl?: string } = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({
    port: 0,
    stateDir: mkdtempSync(path.join(tmpdir(), 'app-sandbox-')),
    appUrl: options.appUrl ?? '',
    env: { NODE_ENV: 'test' } as NodeJS.ProcessEnv,
  });
  const parsed = parseConfig({ SANDBOX_PORT: String(sandbox.port), APP_URL: options.appUrl || 'http://localhost:3000' });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return {
    sandbox,
    config: parsed.config,
    async control(route, body) {
      const response = await fetch(`${sandbox.origin}/_sandbox/${route}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await response.json();
      if (!response.ok) throw new Error(`sandbox control ${route}: ${JSON.stringify(json)}`);
      return json;
    },
    close: () => sandbox.close(),
  };
}

/** A tiny HTTP server that hands each request to a fetch-style handler (for the route handlers' logic). */
export async function startRequestServer(handler: (request: Request) => Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface DatabaseAndSandbox {
  t: TestDatabase;
  sb: TestSandbox;
  gateways: Gateways;
}

/** Registers hooks that open a fresh test database and sandbox for the file, and close them after. */
export function useDatabaseAndSandbox(): DatabaseAndSandbox {
  const env = {} as DatabaseAndSandbox;
  beforeAll(async () => {
    [env.t, env.sb] = await Promise.all([openTestDatabase(), startTestSandbox()]);
    env.gateways = createGateways(env.sb.config);
  });
  afterAll(async () => {
    await env.t?.close();
    await env.sb?.close();
  });
  return env;
}

/** What webhook processing needs, from a test's database and sandbox. */
export function processingDepsOf(env: DatabaseAndSandbox) {
  return { db: env.t.handle.db, gateways: env.gateways, boss: env.t.boss, appUrl: 'http://localhost:3000', settings: testBillingSettings };
}
