/**
 * The Stripe half's control actions (POST /_sandbox/stripe/<action>):
 *   trigger {event}                       like `stripe trigger <event>`: runs the flow that emits it
 *   authenticate {intent, outcome}        completes ("complete") or fails ("fail") a pending 3-D Secure challenge
 *   disputes/resolve {dispute, outcome}   the network's decision on a dispute: "won" or "lost"
 *   checkout/complete {session, payment_method?}  pays a Checkout Session as the hosted page would
 *   summary                               counts of objects per collection
 */
import { StripeApiError } from './errors';
import type { StripeEngine } from './engine';
import { completeCheckoutSession } from './resources/checkout-sessions';
import { resolveDispute } from './resources/disputes';
import { completeIntentAuthentication } from './three-d-secure';
import { COLLECTIONS, type StripeObject } from './state';

type Step = (engine: StripeEngine) => void;

const pay = (pm: string, extra: Record<string, string> = {}) => (engine: StripeEngine) =>
  engine.call('POST', '/v1/payment_intents', { amount: '2000', currency: 'usd', payment_method: pm, confirm: 'true', ...extra });

function tolerateDecline(step: Step): Step {
  return (engine) => {
    try {
      step(engine);
    } catch (err) {
      if (!(err instanceof StripeApiError && err.commit)) throw err;
    }
  };
}

const succeedThen = (next: (engine: StripeEngine, pi: StripeObject) => void): Step => (engine) => next(engine, pay('pm_card_visa')(engine));

const TRIGGERS: Record<string, Step> = {
  'payment_intent.created': (e) => void e.call('POST', '/v1/payment_intents', { amount: '2000', currency: 'usd' }),
  'payment_intent.succeeded': (e) => void pay('pm_card_visa')(e),
  'charge.succeeded': (e) => void pay('pm_card_visa')(e),
  'payment_intent.payment_failed': tolerateDecline((e) => void pay('pm_card_chargeDeclined')(e)),
  'charge.failed': tolerateDecline((e) => void pay('pm_card_chargeDeclined')(e)),
  'payment_intent.requires_action': (e) => void pay('pm_card_authenticationRequired')(e),
  'payment_intent.canceled': (e) => {
    const pi = e.call('POST', '/v1/payment_intents', { amount: '2000', currency: 'usd' });
    e.call('POST', `/v1/payment_intents/${pi.id}/cancel`);
  },
  'payment_intent.amount_capturable_updated': (e) => void pay('pm_card_visa', { capture_method: 'manual' })(e),
  'charge.captured': (e) => {
    const pi = pay('pm_card_visa', { capture_method: 'manual' })(e);
    e.call('POST', `/v1/payment_intents/${pi.id}/capture`);
  },
  'charge.refunded': succeedThen((e, pi) => void e.call('POST', '/v1/refunds', { payment_intent: pi.id })),
  'refund.created': succeedThen((e, pi) => void e.call('POST', '/v1/refunds', { payment_intent: pi.id })),
  'charge.dispute.created': (e) => void pay('pm_card_createDispute')(e),
  'charge.dispute.closed': (e) => {
    const pi = pay('pm_card_createDispute')(e);
    const dispute = Object.values(e.state.disputes).find((d) => d.payment_intent === pi.id)!;
    e.call('POST', `/v1/disputes/${dispute.id}/close`);
  },
  'setup_intent.created': (e) => void e.call('POST', '/v1/setup_intents', {}),
  'setup_intent.succeeded': (e) => void e.call('POST', '/v1/setup_intents', { payment_method: 'pm_card_visa', confirm: 'true' }),
  'setup_intent.setup_failed': tolerateDecline(
    (e) => void e.call('POST', '/v1/setup_intents', { payment_method: 'pm_card_chargeDeclined', confirm: 'true' }),
  ),
  'setup_intent.canceled': (e) => {
    const si = e.call('POST', '/v1/setup_intents', {});
    e.call('POST', `/v1/setup_intents/${si.id}/cancel`);
  },
  'customer.created': (e) => void e.call('POST', '/v1/customers', { email: 'sandbox@example.com' }),
  'customer.updated': (e) => {
    const c = e.call('POST', '/v1/customers', {});
    e.call('POST', `/v1/customers/${c.id}`, { description: 'updated by trigger' });
  },
  'customer.deleted': (e) => {
    const c = e.call('POST', '/v1/customers', {});
    e.call('DELETE', `/v1/customers/${c.id}`);
  },
  'payment_method.attached': (e) => {
    const c = e.call('POST', '/v1/customers', {});
    e.call('POST', '/v1/payment_methods/pm_card_visa/attach', { customer: c.id });
  },
  'payment_method.detached': (e) => {
    const c = e.call('POST', '/v1/customers', {});
    const pm = e.call('POST', '/v1/payment_methods/pm_card_visa/attach', { customer: c.id });
    e.call('POST', `/v1/payment_methods/${pm.id}/detach`);
  },
  'checkout.session.completed': (e) => {
    const session = e.call('POST', '/v1/checkout/sessions', {
      mode: 'payment',
      success_url: 'https://example.com/success',
      line_items: [{ price_data: { currency: 'usd', unit_amount: '2000', product_data: { name: 'Trigger' } }, quantity: '1' }],
    });
    e.transact('internal', { id: null, idempotencyKey: null }, (ctx) => completeCheckoutSession(ctx, session.id, 'pm_card_visa'));
  },
  'checkout.session.expired': (e) => {
    const session = e.call('POST', '/v1/checkout/sessions', {
      mode: 'setup',
      currency: 'usd',
      success_url: 'https://example.com/success',
    });
    e.call('POST', `/v1/checkout/sessions/${session.id}/expire`);
  },
};

export const SUPPORTED_TRIGGERS = Object.keys(TRIGGERS);

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw Object.assign(new Error(`\`${key}\` is required`), { status: 400 });
  return value;
}

/** Returns undefined for an unknown action. */
export function runControlAction(engine: StripeEngine, action: string, body: Record<string, unknown>): unknown {
  const internal = { id: null, idempotencyKey: null };
  try {
    switch (action) {
      case 'trigger': {
        const event = requireString(body, 'event');
        const step = TRIGGERS[event];
        if (!step)
          throw Object.assign(new Error(`unsupported event ${event}; supported: ${SUPPORTED_TRIGGERS.join(', ')}`), { status: 400 });
        const before = new Set(Object.keys(engine.state.events));
        step(engine);
        const events = Object.values(engine.state.events).filter((e) => !before.has(e.id));
        return { event, events: events.map((e) => ({ id: e.id, type: e.type })) };
      }
      case 'authenticate': {
        const intent = requireString(body, 'intent');
        const outcome = requireString(body, 'outcome');
        if (outcome !== 'complete' && outcome !== 'fail')
          throw Object.assign(new Error('`outcome` must be "complete" or "fail"'), { status: 400 });
        return engine.transact('internal', internal, (ctx) => completeIntentAuthentication(ctx, intent, outcome === 'complete'));
      }
      case 'disputes/resolve': {
        const dispute = requireString(body, 'dispute');
        const outcome = requireString(body, 'outcome');
        if (outcome !== 'won' && outcome !== 'lost') throw Object.assign(new Error('`outcome` must be "won" or "lost"'), { status: 400 });
        return engine.transact('internal', internal, (ctx) => resolveDispute(ctx, dispute, outcome));
      }
      case 'checkout/complete': {
        const session = requireString(body, 'session');
        const pm = typeof body.payment_method === 'string' ? body.payment_method : 'pm_card_visa';
        return engine.transact('internal', internal, (ctx) => completeCheckoutSession(ctx, session, pm));
      }
      case 'summary':
        return Object.fromEntries(COLLECTIONS.map((c) => [c, Object.keys(engine.state[c]).length]));
      default:
        return undefined;
    }
  } catch (err) {
    if (err instanceof StripeApiError) throw Object.assign(new Error(err.body.message), { status: err.status, stripe: err.body });
    throw err;
  }
}
