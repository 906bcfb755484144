/**
 * The PayPal half of the provider sandbox, mounted at /paypal: PayPal's REST API (OAuth, Orders v2,
 * Payments v2, Vault v3, webhook verification, disputes), the JS SDK stand-in and its approval window.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderFactory, ProviderSandbox } from '../core/contracts';
import { apiRoutes } from './api';
import { browserRoutes } from './browser';
import { runControl } from './control';
import { methodNotSupported, notFound, PaypalApiError } from './errors';
import { parseJsonObject, readBody, send, type ApiResponse, type Route, type RouteContext } from './http';
import { authenticate, tokenEndpoint } from './oauth';
import { createServices } from './services';
import { PaypalStore } from './state';
import { PaypalWebhooks } from './webhooks';

export const PAYPAL_PREFIX = '/paypal';
const IDEMPOTENCY_WINDOW_MS = 6 * 60 * 60 * 1000;

const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, paypal-request-id, prefer, paypal-partner-attribution-id',
  'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
  'access-control-expose-headers': 'paypal-debug-id',
};

export const createPaypalSandbox: ProviderFactory = async (ctx) => {
  const base = () => `${ctx.settings.origin}${PAYPAL_PREFIX}`;
  const store = new PaypalStore(ctx.settings.stateDir);
  const hooks = new PaypalWebhooks(ctx, store, base);
  hooks.ensureKey();
  ctx.registerSigner('paypal', hooks.signer);
  const svc = createServices(ctx, store, hooks, base);
  const routes: Route[] = [...apiRoutes(svc), ...browserRoutes(svc)];

  async function dispatch(req: IncomingMessage, url: URL, sub: string): Promise<{ response: ApiResponse; api: string }> {
    const method = req.method ?? 'GET';
    const rawBody = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    if (sub === '/v1/oauth2/token') {
      if (method !== 'POST') throw methodNotSupported();
      return { response: tokenEndpoint(req, rawBody, ctx.settings, store, ctx.clock), api: 'overview' };
    }
    let pathMatched = false;
    for (const r of routes) {
      const m = r.pattern.exec(sub);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method && !(r.method === 'GET' && method === 'HEAD')) continue;
      const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
      const header = (name: string) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
      };
      const c: RouteContext = { req, url, params, rawBody, header, json: () => parseJsonObject(rawBody) };
      try {
        if (r.auth) c.clientId = authenticate(req, store, ctx.clock);
        const requestId = r.idempotent ? header('paypal-request-id') : undefined;
        const key = requestId ? `${c.clientId}|${method} ${sub}|${requestId}` : undefined;
        const stored = key ? store.state.idempotency[key] : undefined;
        // PayPal keeps PayPal-Request-Id keys for 6 hours.
        const replay = stored && stored.at > ctx.clock.now() - IDEMPOTENCY_WINDOW_MS ? stored : undefined;
        if (replay) return { response: { status: replay.status, body: replay.body }, api: r.api };
        const response = await r.handle(c);
        if (key && response.status >= 200 && response.status < 300) {
          store.transaction((s) => {
            for (const [k, v] of Object.entries(s.idempotency)) if (v.at <= ctx.clock.now() - IDEMPOTENCY_WINDOW_MS) delete s.idempotency[k];
            s.idempotency[key] = { status: response.status, body: response.body, at: ctx.clock.now() };
          });
        }
        return { response, api: r.api };
      } catch (err) {
        if (err instanceof PaypalApiError) return { response: { status: err.status, body: err.toBody(r.api) }, api: r.api };
        throw err;
      }
    }
    throw pathMatched ? methodNotSupported() : notFound();
  }

  const sandbox: ProviderSandbox = {
    name: 'paypal',
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      if (url.pathname !== PAYPAL_PREFIX && !url.pathname.startsWith(`${PAYPAL_PREFIX}/`)) return false;
      const sub = url.pathname.slice(PAYPAL_PREFIX.length) || '/';
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...CORS, 'access-control-max-age': '600' });
        res.end();
        return true;
      }
      let response: ApiResponse;
      try {
        response = (await dispatch(req, url, sub)).response;
      } catch (err) {
        if (!(err instanceof PaypalApiError)) throw err;
        response = { status: err.status, body: err.toBody() };
      }
      const debugId =
        response.body && typeof response.body === 'object' && 'debug_id' in response.body
          ? String((response.body as { debug_id: unknown }).debug_id)
          : undefined;
      send(res, { ...response, headers: { ...CORS, ...(debugId ? { 'paypal-debug-id': debugId } : {}), ...response.headers } });
      return true;
    },
    async reset() {
      store.reset();
    },
    async control(action, body) {
      return runControl(svc, action, body);
    },
    async close() {
      store.save();
    },
  };
  return sandbox;
};
