/**
 * Browser-facing routes on the sandbox origin: the Stripe.js stand-in (/v3/, /js/stripe.js), the card-field
 * iframe, the 3-D Secure challenge, the hosted Checkout page, receipts, and a test harness page.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonObject, readBody, sendJson, sendText } from '../../core/http';
import { API_VERSION } from '../context';
import type { StripeEngine } from '../engine';
import { StripeApiError } from '../errors';
import { completeCheckoutSession } from '../resources/checkout-sessions';
import { completeIntentAuthentication } from '../three-d-secure';
import { challengePage, checkoutPage, receiptPage } from './pages';

/** The Stripe.js release train @stripe/stripe-js 10.x expects (`Stripe.version`). */
export const STRIPE_JS_VERSION = 'endive';
export const STRIPE_JS_PATHS = ['/v3', '/v3/', '/js/stripe.js', '/endive/stripe.js'];

const ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));
const asset = (name: string) => fs.readFileSync(path.join(ASSETS, name), 'utf8');
const JS = 'application/javascript; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

function stripeJsModulePath(): string {
  const require = createRequire(import.meta.url);
  // The package's `module` entry (lib/index.mjs) re-exports dist/index.mjs, which is self-contained.
  return path.join(path.dirname(require.resolve('@stripe/stripe-js/package.json')), 'dist', 'index.mjs');
}

function notFoundPage(res: ServerResponse, message: string): true {
  sendText(res, 404, HTML, `<!doctype html><title>Not found</title><p>${message}</p>`);
  return true;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBody(req));
}

function apiError(res: ServerResponse, err: unknown): void {
  if (err instanceof StripeApiError) {
    sendJson(res, err.status, { error: err.body });
    return;
  }
  throw err;
}

export async function handleBrowserRoute(engine: StripeEngine, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const method = req.method ?? 'GET';
  const p = url.pathname;
  const origin = engine.settings.origin;
  const internal = { id: null, idempotencyKey: null };
  if (p.startsWith('/checkout/') || p.startsWith('/stripe-sandbox/3ds/')) engine.sweep();

  if (method === 'GET' && STRIPE_JS_PATHS.includes(p)) {
    const script = asset('stripe.js')
      .replace('__SANDBOX_ORIGIN__', origin)
      .replace('__STRIPE_JS_VERSION__', STRIPE_JS_VERSION)
      .replace('__API_VERSION__', API_VERSION);
    sendText(res, 200, JS, script, { 'access-control-allow-origin': '*' });
    return true;
  }
  if (method === 'GET' && p === '/stripe-sandbox/elements/frame') {
    sendText(res, 200, HTML, asset('frame.html').replace('__SANDBOX_NOW_MS__', String(engine.clock.now())));
    return true;
  }

  const challenge = /^\/stripe-sandbox\/3ds\/((?:pi|seti)_[A-Za-z0-9]+)$/.exec(p);
  if (challenge) {
    const id = challenge[1];
    const intent = engine.state.payment_intents[id] ?? engine.state.setup_intents[id];
    if (method === 'GET') {
      if (!intent || intent.client_secret !== url.searchParams.get('client_secret')) return notFoundPage(res, 'Unknown authentication.');
      sendText(res, 200, HTML, challengePage(intent, url.searchParams.get('return_url')));
      return true;
    }
    if (method === 'POST') {
      const body = await jsonBody(req).catch(() => ({}) as Record<string, unknown>);
      if (!intent || intent.client_secret !== body.client_secret) {
        sendJson(res, 404, { error: { type: 'invalid_request_error', message: 'Unknown authentication.' } });
        return true;
      }
      try {
        const result = engine.transact('internal', internal, (ctx) =>
          completeIntentAuthentication(ctx, id, body.outcome === 'complete'),
        );
        sendJson(res, 200, { id: result.id, status: result.status });
      } catch (err) {
        apiError(res, err);
      }
      return true;
    }
  }

  const checkout = /^\/checkout\/pay\/(cs_test_[A-Za-z0-9]+)(\/confirm|\/status)?$/.exec(p);
  if (checkout) {
    const [, id, action] = checkout;
    const session = engine.state.checkout_sessions[id];
    if (!session) return notFoundPage(res, 'This Checkout Session does not exist.');
    if (!action && method === 'GET') {
      sendText(res, 200, HTML, checkoutPage(session, engine.state.lineItems[id] ?? [], engine.settings.stripe.publishableKey));
      return true;
    }
    if (action === '/status' && method === 'GET') {
      const intentId = (session.payment_intent ?? session.setup_intent) as string | null;
      const intent = intentId ? (engine.state.payment_intents[intentId] ?? engine.state.setup_intents[intentId]) : undefined;
      const error = (intent?.last_payment_error ?? intent?.last_setup_error) as { message?: string } | null | undefined;
      sendJson(res, 200, {
        status: session.status,
        success_url: String(session.success_url).replace('{CHECKOUT_SESSION_ID}', session.id),
        error: error?.message ?? null,
      });
      return true;
    }
    if (action === '/confirm' && method === 'POST') {
      const body = await jsonBody(req).catch(() => ({}) as Record<string, unknown>);
      if (typeof body.payment_method !== 'string' || !body.payment_method.startsWith('pm_')) {
        sendJson(res, 400, { error: { type: 'invalid_request_error', message: 'payment_method is required', param: 'payment_method' } });
        return true;
      }
      try {
        const intent = engine.transact('internal', internal, (ctx) =>
          completeCheckoutSession(ctx, id, body.payment_method as string, typeof body.email === 'string' ? body.email : undefined),
        );
        sendJson(res, 200, { status: intent.status, client_secret: intent.client_secret });
      } catch (err) {
        apiError(res, err);
      }
      return true;
    }
  }

  const receipt = /^\/receipts\/(ch_[A-Za-z0-9]+)$/.exec(p);
  if (receipt && method === 'GET') {
    const charge = engine.state.charges[receipt[1]];
    if (!charge) return notFoundPage(res, 'Unknown receipt.');
    sendText(res, 200, HTML, receiptPage(charge));
    return true;
  }

  if (method === 'GET' && p === '/_sandbox/harness/stripe') {
    sendText(res, 200, HTML, asset('harness.html').replace('__SANDBOX_ORIGIN__', origin));
    return true;
  }
  if (method === 'GET' && p === '/_sandbox/harness/modules/stripe-js.mjs') {
    sendText(res, 200, JS, fs.readFileSync(stripeJsModulePath(), 'utf8'));
    return true;
  }
  return false;
}
