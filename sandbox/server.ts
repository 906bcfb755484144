/**
 * The sandbox's HTTP server on 127.0.0.1: the control surface at /_sandbox, then each provider in order
 * (PayPal for paths under /paypal, then Stripe at the root), and a Stripe-shaped 404 for anything else.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createClock, type AdjustableClock } from './core/clock';
import type { ProviderContext, ProviderFactory, ProviderSandbox, SandboxSettings } from './core/contracts';
import { handleControl, restoreChaos } from './core/control';
import { CONTROL_PREFIX } from './core/defaults';
import { createDeliverer, type SandboxDeliverer } from './core/deliverer';
import { sendJson } from './core/http';
import { JsonFileStore } from './core/persistence';
import { assertNotProduction, resolveSettings, type SettingsOverrides } from './core/settings';
import { createStripeSandbox } from './stripe/index';

export interface StartSandboxOptions extends SettingsOverrides {
  /** Providers to mount, in order; defaults to PayPal (when present) then Stripe. */
  providers?: ProviderFactory[];
  /** Environment to read settings from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** Log one line per request (method, path without query, status). Bodies and queries are never logged. */
  log?: (line: string) => void;
}

export interface RunningSandbox {
  origin: string;
  port: number;
  settings: SandboxSettings;
  clock: AdjustableClock;
  deliverer: SandboxDeliverer;
  close(): Promise<void>;
}

const CLOCK_FILE = 'clock';

/** The PayPal half lives in sandbox/paypal/ (another module); mount it when it is there. */
async function defaultProviders(): Promise<ProviderFactory[]> {
  const factories: ProviderFactory[] = [];
  const here = fileURLToPath(new URL('.', import.meta.url));
  if (fs.existsSync(`${here}/paypal/index.ts`) || fs.existsSync(`${here}/paypal/index.js`)) {
    const specifier = './paypal/index';
    const mod = (await import(/* @vite-ignore */ specifier)) as { createPaypalSandbox?: ProviderFactory };
    if (typeof mod.createPaypalSandbox === 'function') factories.push(mod.createPaypalSandbox);
  }
  factories.push(createStripeSandbox);
  return factories;
}

function notFound(res: http.ServerResponse, url: URL, method: string): void {
  sendJson(
    res,
    404,
    {
      error: {
        message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        type: 'invalid_request_error',
      },
    },
    { 'access-control-allow-origin': '*' },
  );
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const env = options.env ?? process.env;
  assertNotProduction(env);
  const { providers: factoriesOption, env: _env, log, ...overrides } = options;
  const settings = resolveSettings(overrides, env);
  const store = new JsonFileStore(settings.stateDir);
  restoreChaos(settings, store);

  const clock = createClock(store.read<{ offsetSeconds: number }>(CLOCK_FILE)?.offsetSeconds ?? 0);
  clock.onChange((offsetSeconds) => store.write(CLOCK_FILE, { offsetSeconds }));
  const deliverer = createDeliverer({ clock, store, chaos: () => settings.chaos });

  const providers: ProviderSandbox[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));

  const server = http.createServer((req, res) => {
    void (async () => {
      await readyPromise;
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', settings.origin);
      if (log && url.pathname !== `${CONTROL_PREFIX}/health`) {
        const started = Date.now();
        res.once('finish', () => log(`${method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms`));
      }
      try {
        if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
          if (await handleControl({ settings, clock, deliverer, providers: () => providers, store }, req, res, url)) return;
        }
        for (const provider of providers) {
          if (await provider.handle(req, res, url)) return;
        }
        notFound(res, url, method);
      } catch (err) {
        console.error('[sandbox] request failed:', err instanceof Error ? err.message : err);
        if (!res.headersSent) {
          sendJson(res, 500, { error: { type: 'api_error', message: 'An unexpected error occurred in the sandbox.' } });
        } else {
          res.end();
        }
      }
    })();
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  settings.port = port;
  settings.origin = `http://127.0.0.1:${port}`;

  const ctx: ProviderContext = {
    settings,
    clock,
    deliverer,
    registerSigner: (provider, signer) => deliverer.registerSigner(provider, signer),
  };
  try {
    for (const factory of factoriesOption ?? (await defaultProviders())) providers.push(await factory(ctx));
  } catch (err) {
    server.close();
    await deliverer.close();
    throw err;
  }
  ready();

  let closing: Promise<void> | null = null;
  return {
    origin: settings.origin,
    port,
    settings,
    clock,
    deliverer,
    close() {
      closing ??= (async () => {
        await deliverer.close();
        for (const provider of providers) await provider.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
