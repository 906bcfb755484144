/**
 * Browser-facing routes (no OAuth): the JS SDK script, the approval window and its buyer endpoints, and a
 * small harness page that loads the SDK through @paypal/paypal-js's loadScript (for the sandbox's own
 * browser tests; it plays the merchant server through /paypal/_harness/* without the app).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { approvalPage, loadingPage } from './checkout-page';
import { PaypalApiError } from './errors';
import { json, route, type Route } from './http';
import { formatMinor } from './money';
import { approveOrder, captureOrderById, createOrder } from './orders';
import { MERCHANT_NAME } from './render';
import type { Services } from './services';
import { SANDBOX_BUYER } from './services';
import { harnessPage } from './harness';
import { sdkScript } from './js-sdk';
import { approveSetupToken, createPaymentTokenFromSetup, createSetupToken } from './vault';
import { isObject } from './validate';

const HTML = 'text/html; charset=utf-8';
const JS = 'application/javascript; charset=utf-8';

let paypalJsSource: string | null = null;
function paypalJs(): string {
  if (paypalJsSource === null) {
    const require = createRequire(import.meta.url);
    // The package's exports map hides package.json, so find its root from the resolved entry (dist/cjs/...).
    const entry = require.resolve('@paypal/paypal-js');
    const root = entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`));
    const iife = path.join(root, 'dist', 'iife', 'paypal-js.js');
    paypalJsSource = fs.readFileSync(iife, 'utf8');
  }
  return paypalJsSource;
}

function sdkError(message: string) {
  return { status: 400, text: `throw new Error(${JSON.stringify(`SDK Validation error: '${message}'`)});`, contentType: JS };
}

export function browserRoutes(svc: Services): Route[] {
  const settings = svc.ctx.settings;
  const base = () => `${settings.origin}/paypal`;
  const open = { auth: false };

  const orderPage = (id: string, targetOrigin: string | undefined) => {
    const o = svc.store.state.orders[id];
    if (!o) {
      return approvalPage({ kind: 'order', id, merchant: MERCHANT_NAME, buyerEmail: SANDBOX_BUYER.email, problem: 'This order does not exist or has expired.', base: base(), targetOrigin });
    }
    const amount = o.purchaseUnits.map((u) => `${formatMinor(u.amountMinor, u.currency)} ${u.currency}`).join(' + ');
    const ctx = o.paypalSource?.experienceContext ?? o.applicationContext;
    const problem = o.status === 'CREATED' || o.status === 'PAYER_ACTION_REQUIRED' || o.status === 'APPROVED' ? undefined : `This order is ${o.status} and cannot be approved.`;
    return approvalPage({
      kind: 'order',
      id,
      amount,
      merchant: typeof ctx?.brand_name === 'string' ? ctx.brand_name : MERCHANT_NAME,
      buyerEmail: SANDBOX_BUYER.email,
      problem,
      returnUrl: typeof ctx?.return_url === 'string' ? ctx.return_url : undefined,
      cancelUrl: typeof ctx?.cancel_url === 'string' ? ctx.cancel_url : undefined,
      targetOrigin,
      base: base(),
    });
  };

  return [
    route(
      'GET',
      '/sdk/js',
      (c) => {
        const clientId = c.url.searchParams.get('client-id');
        if (!clientId) return sdkError('Expected client-id to be passed');
        if (clientId !== settings.paypal.clientId) return sdkError(`client-id not recognized: ${clientId}`);
        const script = sdkScript({
          base: base(),
          origin: settings.origin,
          clientId,
          currency: (c.url.searchParams.get('currency') ?? 'USD').toUpperCase(),
          intent: (c.url.searchParams.get('intent') ?? 'capture').toLowerCase(),
          vault: c.url.searchParams.get('vault') === 'true',
          commit: c.url.searchParams.get('commit') !== 'false',
        });
        return { status: 200, text: script, contentType: JS };
      },
      open,
    ),
    route(
      'GET',
      '/checkoutnow',
      (c) => {
        if (c.url.searchParams.get('loading')) return { status: 200, text: loadingPage(), contentType: HTML };
        const token = c.url.searchParams.get('token') ?? '';
        return { status: 200, text: orderPage(token, c.url.searchParams.get('origin') ?? undefined), contentType: HTML };
      },
      open,
    ),
    route(
      'GET',
      '/agreements/approve',
      (c) => {
        const id = c.url.searchParams.get('approval_session_id') ?? c.url.searchParams.get('ba_token') ?? '';
        const t = svc.store.state.setupTokens[id];
        const ctx = t?.experienceContext;
        const text = approvalPage({
          kind: 'setup_token',
          id,
          merchant: typeof ctx?.brand_name === 'string' ? ctx.brand_name : MERCHANT_NAME,
          buyerEmail: SANDBOX_BUYER.email,
          problem: !t ? 'This request does not exist or has expired.' : t.status === 'VAULTED' ? 'This PayPal account is already saved.' : undefined,
          returnUrl: typeof ctx?.return_url === 'string' ? ctx.return_url : undefined,
          cancelUrl: typeof ctx?.cancel_url === 'string' ? ctx.cancel_url : undefined,
          targetOrigin: c.url.searchParams.get('origin') ?? undefined,
          base: base(),
        });
        return { status: 200, text, contentType: HTML };
      },
      open,
    ),
    route(
      'POST',
      '/_buyer/approve',
      (c) => {
        const body = c.json();
        const id = typeof body.id === 'string' ? body.id : '';
        if (body.kind === 'setup_token') {
          const t = approveSetupToken(svc, id);
          return json(200, { vaultSetupToken: t.id, payerID: t.payer?.payerId });
        }
        const order = approveOrder(svc, id, body.decline === true ? { decline: 'DECLINED' } : {});
        return json(200, { orderID: order.id, payerID: order.payer?.payerId });
      },
      open,
    ),
    // The harness: a merchant page and a pretend merchant server, for the sandbox's own browser tests.
    route('GET', '/_harness', (c) => ({ status: 200, text: harnessPage(base(), settings.paypal.clientId, c.url.searchParams), contentType: HTML }), open),
    route('GET', '/_harness/paypal-js.js', () => ({ status: 200, text: paypalJs(), contentType: JS }), open),
    route(
      'POST',
      '/_harness/orders',
      (c) => {
        const body = c.json();
        const order = createOrder(
          svc,
          {
            intent: 'CAPTURE',
            purchase_units: [{ reference_id: 'harness', amount: { currency_code: String(body.currency ?? 'USD'), value: String(body.value ?? '10.00') } }],
            ...(body.vault ? { payment_source: { paypal: { attributes: { vault: { store_in_vault: 'ON_SUCCESS', usage_type: 'MERCHANT' } } } } } : {}),
          },
          settings.paypal.clientId,
          undefined,
        );
        return json(201, { id: order.id });
      },
      open,
    ),
    route(
      'POST',
      '/_harness/orders/:id/capture',
      (c) => {
        try {
          const order = captureOrderById(svc, c.params.id);
          return json(201, svc.render.orderAfterCapture(order, svc.store.state));
        } catch (err) {
          if (err instanceof PaypalApiError) return json(err.status, err.toBody());
          throw err;
        }
      },
      open,
    ),
    route(
      'POST',
      '/_harness/setup-tokens',
      () => json(201, svc.render.setupToken(createSetupToken(svc, { payment_source: { paypal: { usage_type: 'MERCHANT' } } }, settings.paypal.clientId))),
      open,
    ),
    route(
      'POST',
      '/_harness/payment-tokens',
      (c) => {
        const body = c.json();
        const id = isObject(body) && typeof body.setup_token === 'string' ? body.setup_token : '';
        return json(201, svc.render.paymentToken(createPaymentTokenFromSetup(svc, { payment_source: { token: { id, type: 'SETUP_TOKEN' } } })));
      },
      open,
    ),
  ];
}
