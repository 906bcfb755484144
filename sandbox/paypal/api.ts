/** The PayPal REST routes (paths below /paypal), with bearer auth and PayPal-Request-Id idempotency. */
import { disputesRoute } from './api-disputes';
import { getDispute, resolveDispute } from './disputes';
import type { Route } from './http';
import { json, route } from './http';
import { captureOrderById, createOrder, getOrder } from './orders';
import { getCapture, getRefund, refundCapture } from './payments';
import type { Services } from './services';
import {
  createPaymentTokenFromSetup,
  createSetupToken,
  deletePaymentToken,
  getPaymentToken,
  getSetupToken,
  listPaymentTokens,
} from './vault';

const wantsRepresentation = (prefer: string | undefined) => /return=representation/i.test(prefer ?? '');

export function apiRoutes(svc: Services): Route[] {
  const r = svc.render;
  const state = () => svc.store.state;
  return [
    // Orders v2
    route(
      'POST',
      '/v2/checkout/orders',
      (c) => {
        const order = createOrder(svc, c.json(), c.clientId!, c.header('paypal-request-id'));
        const body = wantsRepresentation(c.header('prefer')) ? r.order(order, state()) : r.orderMinimal(order, state());
        return json(201, body);
      },
      { idempotent: true },
    ),
    route('GET', '/v2/checkout/orders/:id', (c) => json(200, r.order(getOrder(svc, c.params.id), state()))),
    route(
      'POST',
      '/v2/checkout/orders/:id/capture',
      (c) => {
        c.json(); // a capture body is optional, but must be JSON when present
        const order = captureOrderById(svc, c.params.id);
        const body = wantsRepresentation(c.header('prefer')) ? r.order(order, state()) : r.orderAfterCapture(order, state());
        return json(201, body);
      },
      { idempotent: true },
    ),
    // Payments v2
    route('GET', '/v2/payments/captures/:id', (c) => json(200, r.captureResource(getCapture(svc, c.params.id))), { api: 'payments/v2' }),
    route(
      'POST',
      '/v2/payments/captures/:id/refund',
      (c) => {
        const refund = refundCapture(svc, c.params.id, c.json());
        const full = r.refund(refund, state().captures[refund.captureId]);
        const body = wantsRepresentation(c.header('prefer')) ? full : { id: full.id, status: full.status, links: full.links };
        return json(201, body);
      },
      { idempotent: true, api: 'payments/v2' },
    ),
    route(
      'GET',
      '/v2/payments/refunds/:id',
      (c) => {
        const refund = getRefund(svc, c.params.id);
        return json(200, r.refund(refund, state().captures[refund.captureId]));
      },
      { api: 'payments/v2' },
    ),
    // Vault v3
    route('POST', '/v3/vault/setup-tokens', (c) => json(201, r.setupToken(createSetupToken(svc, c.json(), c.clientId!))), {
      idempotent: true,
      api: 'payment-tokens/v3',
    }),
    route('GET', '/v3/vault/setup-tokens/:id', (c) => json(200, r.setupToken(getSetupToken(svc, c.params.id))), { api: 'payment-tokens/v3' }),
    route('POST', '/v3/vault/payment-tokens', (c) => json(201, r.paymentToken(createPaymentTokenFromSetup(svc, c.json()))), {
      idempotent: true,
      api: 'payment-tokens/v3',
    }),
    route('GET', '/v3/vault/payment-tokens', (c) => json(200, listPaymentTokens(svc, c.url.searchParams.get('customer_id'))), {
      api: 'payment-tokens/v3',
    }),
    route('GET', '/v3/vault/payment-tokens/:id', (c) => json(200, r.paymentToken(getPaymentToken(svc, c.params.id))), {
      api: 'payment-tokens/v3',
    }),
    route(
      'DELETE',
      '/v3/vault/payment-tokens/:id',
      (c) => {
        deletePaymentToken(svc, c.params.id);
        return { status: 204 };
      },
      { api: 'payment-tokens/v3' },
    ),
    // Webhooks
    route('POST', '/v1/notifications/verify-webhook-signature', (c) => svc.hooks.verifyEndpoint(c.json()), { api: 'webhooks/v1' }),
    route('GET', '/v1/notifications/certs/:id', (c) => svc.hooks.certificate(c.params.id), { auth: false, api: 'webhooks/v1' }),
    route('GET', '/v1/notifications/webhooks-events/:id', (c) => svc.hooks.event(c.params.id), { api: 'webhooks/v1' }),
    route('POST', '/v1/notifications/webhooks-events/:id/resend', (c) => svc.hooks.resend(c.params.id), { api: 'webhooks/v1' }),
    // Disputes v1
    ...disputesRoute(svc),
    route(
      'POST',
      '/v1/customer/disputes/:id/accept-claim',
      (c) => {
        getDispute(svc, c.params.id);
        resolveDispute(svc, c.params.id, 'buyer');
        return json(200, { links: [{ href: `${svc.ctx.settings.origin}/paypal/v1/customer/disputes/${c.params.id}`, rel: 'self', method: 'GET' }] });
      },
      { api: 'customer-disputes/v1' },
    ),
  ];
}
