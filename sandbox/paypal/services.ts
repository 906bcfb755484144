/** What every part of the PayPal half shares: settings, clock, state, renderer, webhooks, the sandbox buyer. */
import type { ProviderContext } from '../core/contracts';
import { Renderer } from './render';
import type { Payer, PaypalStore } from './state';
import { isoTime } from './state';
import type { PaypalWebhooks } from './webhooks';

export interface Services {
  ctx: ProviderContext;
  store: PaypalStore;
  hooks: PaypalWebhooks;
  render: Renderer;
  /** ISO time, sandbox clock. */
  now(): string;
  nowMs(): number;
}

/** The sandbox's one buyer account (PayPal's payer ids are 13 characters without 0, 1, I and O). */
export const SANDBOX_BUYER: Payer = {
  payerId: 'SANDBXBUYER22',
  email: 'sb-buyer@personal.example.com',
  givenName: 'Sandbox',
  surname: 'Buyer',
  countryCode: 'US',
};

export function createServices(ctx: ProviderContext, store: PaypalStore, hooks: PaypalWebhooks, base: () => string): Services {
  return {
    ctx,
    store,
    hooks,
    render: new Renderer(base),
    now: () => isoTime(ctx.clock.now()),
    nowMs: () => ctx.clock.now(),
  };
}
