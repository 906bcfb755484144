/** SetupIntents: create, retrieve, update, list, confirm (3-D Secure via next_action), cancel. */
import { declinesOnValidation, DECLINES, needsAuthentication } from '../cards';
import { emit, now, update, updateAndEmit, type StripeContext } from '../context';
import { invalidRequest, unexpectedState } from '../errors';
import { newClientSecret, newId } from '../ids';
import { LIST_PARAMS, createdFilter, newestFirst, paginate } from '../list';
import { nullable, type Params } from '../params';
import type { Route } from '../router';
import { find } from '../shared';
import type { StripeObject } from '../state';
import { authenticationFailureError, cardDeclined, declineError, nextActionFor } from './charging';
import { findCustomer } from './customers';
import { requireClientSecret } from './payment-intents';
import { attachPaymentMethod, paymentMethodFromData, resolvePaymentMethod } from './payment-methods';

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export function createSetupIntent(ctx: StripeContext, p: Params): StripeObject {
  p.only('customer', 'description', 'metadata', 'payment_method', 'payment_method_types', 'automatic_payment_methods',
    'usage', 'confirm', 'return_url', 'payment_method_data', 'payment_method_options', 'mandate_data', 'use_stripe_sdk',
    'expand', 'flow_directions');
  const customerId = p.string('customer');
  const customer = customerId ? findCustomer(ctx, customerId) : undefined;
  const confirm = p.bool('confirm') ?? false;
  if (p.has('return_url') && !confirm) throw invalidRequest('You can only pass return_url when confirm=true.', 'return_url');
  const apm = p.object('automatic_payment_methods');
  apm?.only('enabled', 'allow_redirects');
  const types = p.strings('payment_method_types');
  if (types && types.some((t) => t !== 'card'))
    throw invalidRequest(`The payment method type "${types.find((t) => t !== 'card')}" is not supported by the sandbox.`, 'payment_method_types');
  const si: StripeObject = {
    id: newId('seti'),
    object: 'setup_intent',
    application: null,
    automatic_payment_methods: apm?.bool('enabled') ? { allow_redirects: 'always', enabled: true } : null,
    cancellation_reason: null,
    client_secret: '',
    created: now(ctx),
    customer: customer?.id ?? null,
    description: nullable(p.string('description', { maxLength: 1000 }), null),
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: p.metadataUpdate({}),
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: p.enum('usage', ['on_session', 'off_session']) ?? 'off_session',
  };
  si.client_secret = newClientSecret(si.id);
  const pmId = p.string('payment_method');
  if (pmId) {
    si.payment_method = resolvePaymentMethod(ctx, pmId).id;
    si.status = 'requires_confirmation';
  }
  ctx.state.setup_intents[si.id] = si;
  emit(ctx, 'setup_intent.created', si);
  if (confirm) confirmIntent(ctx, si, p, true);
  return si;
}

function findSetupIntent(ctx: StripeContext, id: string, p: Params): StripeObject {
  const si = find(ctx, 'setup_intents', id, 'intent');
  if (ctx.auth === 'publishable') requireClientSecret(ctx, si, p);
  return si;
}

function retrieve(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand', 'client_secret');
  return findSetupIntent(ctx, path.intent, p);
}

function modify(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('customer', 'description', 'metadata', 'payment_method', 'payment_method_types', 'expand', 'flow_directions');
  const si = find(ctx, 'setup_intents', path.intent, 'intent');
  const changes: Record<string, unknown> = {};
  if (p.has('customer') || p.has('payment_method')) {
    if (!CONFIRMABLE.includes(si.status as string))
      throw unexpectedState(`You cannot update this SetupIntent because it has a status of ${si.status}.`, 'setup_intent_unexpected_state');
  }
  if (p.has('customer')) changes.customer = findCustomer(ctx, p.string('customer', { required: true })!).id;
  if (p.has('payment_method')) {
    changes.payment_method = resolvePaymentMethod(ctx, p.string('payment_method', { required: true })!).id;
    changes.status = 'requires_confirmation';
  }
  if (p.has('description')) changes.description = nullable(p.string('description'), si.description as string | null);
  if (p.has('metadata')) changes.metadata = p.metadataUpdate(si.metadata as Record<string, string>);
  updateAndEmit(ctx, 'setup_intent.updated', si, changes);
  return si;
}

function confirm(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('payment_method', 'payment_method_data', 'return_url', 'mandate_data', 'payment_method_options',
    'use_stripe_sdk', 'client_secret', 'expand');
  const si = findSetupIntent(ctx, path.intent, p);
  confirmIntent(ctx, si, p, false);
  return si;
}

function confirmIntent(ctx: StripeContext, si: StripeObject, p: Params, fromCreate: boolean): void {
  if (!CONFIRMABLE.includes(si.status as string))
    throw unexpectedState(
      `You cannot confirm this SetupIntent because it has a status of ${si.status}.`,
      'setup_intent_unexpected_state',
    );
  const data = p.object('payment_method_data');
  const pmId = fromCreate ? undefined : p.string('payment_method');
  const pm = data
    ? paymentMethodFromData(ctx, data)
    : pmId
      ? resolvePaymentMethod(ctx, pmId)
      : si.payment_method
        ? ctx.state.payment_methods[si.payment_method as string]
        : undefined;
  if (!pm)
    throw invalidRequest("You cannot confirm this SetupIntent because it's missing a payment method.", 'payment_method', 'setup_intent_unexpected_state');
  if (pm.customer && si.customer && pm.customer !== si.customer)
    throw invalidRequest('The provided PaymentMethod belongs to a different customer than this SetupIntent.', 'payment_method');
  update(si, { payment_method: pm.id });
  const card = ctx.state.cards[pm.id] ?? { behaviour: 'success' as const, setUpForOffSession: false };
  if (declinesOnValidation(card.behaviour)) {
    const error = declineError(DECLINES[card.behaviour]!, pm, null);
    update(si, { status: 'requires_payment_method', last_setup_error: error, payment_method: null, next_action: null });
    emit(ctx, 'setup_intent.setup_failed', si);
    throw cardDeclined(error, { setup_intent: si });
  }
  if (needsAuthentication({ behaviour: card.behaviour, setUpForOffSession: false })) {
    const returnUrl = p.string('return_url') ?? null;
    const useStripeSdk = p.bool('use_stripe_sdk') ?? ctx.auth === 'publishable';
    ctx.state.authentications[si.id] = { status: 'pending', paymentMethod: pm.id, offSessionSetup: si.usage === 'off_session' };
    update(si, { status: 'requires_action', next_action: nextActionFor(ctx, si, { useStripeSdk, returnUrl }), last_setup_error: null });
    emit(ctx, 'setup_intent.requires_action', si);
    return;
  }
  succeed(ctx, si, pm);
}

function succeed(ctx: StripeContext, si: StripeObject, pm: StripeObject): void {
  update(si, { status: 'succeeded', next_action: null, last_setup_error: null });
  if (si.customer && !pm.customer) attachPaymentMethod(ctx, pm, si.customer as string);
  const card = ctx.state.cards[pm.id];
  if (card && si.usage === 'off_session') card.setUpForOffSession = true;
  emit(ctx, 'setup_intent.succeeded', si);
}

/** The 3-D Secure challenge's outcome for a SetupIntent in requires_action. */
export function completeSetupAuthentication(ctx: StripeContext, si: StripeObject, success: boolean): void {
  const auth = ctx.state.authentications[si.id];
  if (si.status !== 'requires_action' || !auth || auth.status !== 'pending')
    throw unexpectedState(`This SetupIntent is not awaiting authentication (status ${si.status}).`, 'setup_intent_unexpected_state');
  const pm = ctx.state.payment_methods[auth.paymentMethod];
  auth.status = success ? 'succeeded' : 'failed';
  if (!success) {
    update(si, {
      status: 'requires_payment_method',
      last_setup_error: authenticationFailureError(pm, 'setup_intent'),
      payment_method: null,
      next_action: null,
    });
    emit(ctx, 'setup_intent.setup_failed', si);
    return;
  }
  succeed(ctx, si, pm);
}

function cancel(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('cancellation_reason', 'expand');
  const si = find(ctx, 'setup_intents', path.intent, 'intent');
  if (!CONFIRMABLE.includes(si.status as string))
    throw unexpectedState(`You cannot cancel this SetupIntent because it has a status of ${si.status}.`, 'setup_intent_unexpected_state');
  const reason = p.enum('cancellation_reason', ['abandoned', 'duplicate', 'requested_by_customer']) ?? null;
  delete ctx.state.authentications[si.id];
  update(si, { status: 'canceled', cancellation_reason: reason, next_action: null });
  emit(ctx, 'setup_intent.canceled', si);
  return si;
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'customer', 'payment_method', 'created', 'attach_to_self');
  const customer = p.string('customer');
  const pm = p.string('payment_method');
  const inRange = createdFilter(p);
  const all = newestFirst(ctx.state.setup_intents).filter(
    (si) => inRange(si) && (customer === undefined || si.customer === customer) && (pm === undefined || si.payment_method === pm),
  );
  return paginate(all, p, '/v1/setup_intents');
}

export const setupIntentRoutes: Route[] = [
  { method: 'POST', path: '/v1/setup_intents', handler: createSetupIntent },
  { method: 'GET', path: '/v1/setup_intents', handler: list },
  { method: 'GET', path: '/v1/setup_intents/:intent', handler: retrieve, publishable: true },
  { method: 'POST', path: '/v1/setup_intents/:intent', handler: modify },
  { method: 'POST', path: '/v1/setup_intents/:intent/confirm', handler: confirm, publishable: true },
  { method: 'POST', path: '/v1/setup_intents/:intent/cancel', handler: cancel },
];
