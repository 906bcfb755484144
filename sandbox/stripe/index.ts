/** The Stripe half of the sandbox: Stripe's API at the origin's root, Stripe.js stand-in, hosted pages. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderContext, ProviderFactory, ProviderSandbox } from '../core/contracts';
import { UnknownControlActionError } from '../core/control';
import type { SandboxDeliverer } from '../core/deliverer';
import { JsonFileStore } from '../core/persistence';
import { handleBrowserRoute } from './browser/routes';
import { runControlAction } from './control';
import { CORS_HEADERS, StripeEngine } from './engine';
import { Router } from './router';
import { chargeRoutes } from './resources/charges';
import { checkoutSessionRoutes } from './resources/checkout-sessions';
import { customerRoutes } from './resources/customers';
import { disputeRoutes } from './resources/disputes';
import { eventRoutes } from './resources/events';
import { paymentIntentRoutes } from './resources/payment-intents';
import { paymentMethodRoutes } from './resources/payment-methods';
import { refundRoutes } from './resources/refunds';
import { setupIntentRoutes } from './resources/setup-intents';
import { webhookEndpointRoutes } from './resources/webhook-endpoints';
import { createStripeSigner } from './webhooks';

export function createRouter(): Router {
  return new Router().add(
    ...customerRoutes,
    ...paymentMethodRoutes,
    ...paymentIntentRoutes,
    ...setupIntentRoutes,
    ...chargeRoutes,
    ...refundRoutes,
    ...disputeRoutes,
    ...eventRoutes,
    ...checkoutSessionRoutes,
    ...webhookEndpointRoutes,
  );
}

export const createStripeSandbox: ProviderFactory = async (ctx: ProviderContext): Promise<ProviderSandbox> => {
  const store = new JsonFileStore(ctx.settings.stateDir);
  const deliverer = ctx.deliverer as SandboxDeliverer;
  const engine = new StripeEngine(ctx.settings, ctx.clock, deliverer, createRouter(), store);
  ctx.registerSigner('stripe', createStripeSigner(ctx.settings, () => engine.state.endpointSecrets));

  return {
    name: 'stripe',
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      if (url.pathname.startsWith('/v1/') || url.pathname === '/v1') {
        if (req.method === 'OPTIONS') {
          res.writeHead(204, CORS_HEADERS);
          res.end();
          return true;
        }
        await engine.handleApi(req, res, url);
        return true;
      }
      return handleBrowserRoute(engine, req, res, url);
    },
    async reset() {
      engine.reset();
    },
    async control(action: string, body: Record<string, unknown>) {
      const result = runControlAction(engine, action, body);
      if (result === undefined) throw new UnknownControlActionError(`unknown stripe control action: ${action}`);
      return result;
    },
    async close() {
      engine.flush();
    },
  };
};

