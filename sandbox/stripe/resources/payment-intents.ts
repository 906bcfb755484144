/**
 * PaymentIntents: create, retrieve, update, list, confirm (on- and off-session, 3-D Secure via next_action),
 * capture, cancel; plus the step that finishes a payment once 3-D Secure is completed or failed.
 */
import type { Decline } from '../cards';
import type { CardRecord } from '../state';
import { emit, now, update, updateAndEmit, type StripeContext } from '../context';
import { invalidRequest, unexpectedState } from '../errors';
import { newClientSecret, newId } from '../ids';
import { LIST_PARAMS, createdFilter, newestFirst, paginate } from '../list';
import { currencyParam, nullable, type Params } from '../params';
import type { Route } from '../router';
import { find } from '../shared';
import type { StripeObject } from '../state';
import {
  authenticationFailureError,
  cardDeclined,
  createCharge,
  decide,
  declineError,
  nextActionFor,
} from './charging';
import { findCustomer } from './customers';
import { openDispute } from './disputes';
import { attachPaymentMethod, paymentMethodFromData, resolvePaymentMethod } from './payment-methods';
import { recordRefund } from './refunds';

const MINIMUM_AMOUNT: Record<string, number> = { usd: 50, eur: 50, cad: 50, aud: 50, chf: 50, gbp: 30, jpy: 50 };

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action', 'requires_capture', 'processing'];

function checkAmount(p: Params, currency: string, key = 'amount', required = true): number | undefined {
  const amount = p.int(key, { required, min: 1, max: 99_999_999 });
  if (amount === undefined) return undefined;
  const minimum = MINIMUM_AMOUNT[currency] ?? 1;
  if (amount < minimum)
    throw invalidRequest(
      `Amount must be at least ${minimum} ${currency} (in the currency's smallest unit).`,
      key,
      'amount_too_small',
    );
  return amount;
}

function offSessionParam(p: Params): boolean | undefined {
  const raw = p.raw.off_session;
  if (raw === undefined) return undefined;
  if (raw === 'one_off' || raw === 'recurring') return true;
  return p.bool('off_session');
}

export function findPaymentIntent(ctx: StripeContext, id: string, p: Params): StripeObject {
  const pi = find(ctx, 'payment_intents', id, 'intent');
  requireClientSecret(ctx, pi, p);
  return pi;
}

/** With the publishable key, an intent is reachable only with its client secret. */
export function requireClientSecret(ctx: StripeContext, intent: StripeObject, p: Params): void {
  if (ctx.auth !== 'publishable') return;
  const secret = p.string('client_secret', { required: true });
  if (secret !== intent.client_secret)
    throw invalidRequest(
      'The client_secret provided does not match any associated PaymentIntent on this account.',
      'client_secret',
      'payment_intent_invalid_parameter',
    );
}

const CREATE_PARAMS = [
  'amount', 'currency', 'customer', 'description', 'metadata', 'payment_method', 'payment_method_types',
  'automatic_payment_methods', 'capture_method', 'confirmation_method', 'confirm', 'off_session',
  'setup_future_usage', 'receipt_email', 'return_url', 'statement_descriptor', 'statement_descriptor_suffix',
  'payment_method_options', 'payment_method_data', 'mandate_data', 'error_on_requires_action', 'use_stripe_sdk',
  'expand', 'shipping', 'transfer_group',
];

export function createPaymentIntent(ctx: StripeContext, p: Params): StripeObject {
  p.only(...CREATE_PARAMS);
  const currency = currencyParam(p)!;
  const amount = checkAmount(p, currency)!;
  const customerId = p.string('customer');
  const customer = customerId ? findCustomer(ctx, customerId) : undefined;
  const confirm = p.bool('confirm') ?? false;
  for (const key of ['off_session', 'return_url', 'error_on_requires_action', 'mandate_data'])
    if (p.has(key) && !confirm) throw invalidRequest(`You can only pass ${key} when confirm=true.`, key);
  const apm = p.object('automatic_payment_methods');
  apm?.only('enabled', 'allow_redirects');
  const types = p.strings('payment_method_types');
  if (types && types.some((t) => t !== 'card'))
    throw invalidRequest(`The payment method type "${types.find((t) => t !== 'card')}" is not supported by the sandbox.`, 'payment_method_types');
  const pi: StripeObject = {
    id: newId('pi'),
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: apm?.bool('enabled') ? { allow_redirects: apm.enum('allow_redirects', ['always', 'never']) ?? 'always', enabled: true } : null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: p.enum('capture_method', ['automatic', 'automatic_async', 'manual']) ?? 'automatic',
    client_secret: '',
    confirmation_method: p.enum('confirmation_method', ['automatic', 'manual']) ?? 'automatic',
    created: now(ctx),
    currency,
    customer: customer?.id ?? null,
    description: nullable(p.string('description', { maxLength: 1000 }), null),
    invoice: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: p.metadataUpdate({}),
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: ['card'],
    processing: null,
    receipt_email: nullable(p.string('receipt_email'), null),
    review: null,
    setup_future_usage: p.enum('setup_future_usage', ['on_session', 'off_session']) ?? null,
    shipping: null,
    source: null,
    statement_descriptor: nullable(p.string('statement_descriptor', { maxLength: 22 }), null),
    statement_descriptor_suffix: nullable(p.string('statement_descriptor_suffix', { maxLength: 22 }), null),
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: nullable(p.string('transfer_group'), null),
  };
  pi.client_secret = newClientSecret(pi.id);
  const pmId = p.string('payment_method');
  if (pmId) {
    pi.payment_method = resolvePaymentMethod(ctx, pmId).id;
    pi.status = 'requires_confirmation';
  }
  ctx.state.payment_intents[pi.id] = pi;
  emit(ctx, 'payment_intent.created', pi);
  if (confirm) confirmIntent(ctx, pi, p, { includesCreateParams: true });
  return pi;
}

function retrieve(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand', 'client_secret');
  return findPaymentIntent(ctx, path.intent, p);
}

function modify(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('amount', 'currency', 'customer', 'description', 'metadata', 'payment_method', 'receipt_email',
    'setup_future_usage', 'capture_method', 'payment_method_types', 'statement_descriptor',
    'statement_descriptor_suffix', 'expand', 'shipping', 'transfer_group', 'payment_method_options');
  const pi = find(ctx, 'payment_intents', path.intent, 'intent');
  const modifiable = CONFIRMABLE.includes(pi.status as string);
  const changes: Record<string, unknown> = {};
  const moneyKeys = ['amount', 'currency', 'customer', 'payment_method', 'setup_future_usage', 'capture_method', 'payment_method_types'];
  if (!modifiable && moneyKeys.some((k) => p.has(k)))
    throw unexpectedState(
      `This PaymentIntent's ${moneyKeys.find((k) => p.has(k))} could not be updated because it has a status of ${pi.status}. You may only update the ${moneyKeys.find((k) => p.has(k))} of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.`,
      'payment_intent_unexpected_state',
    );
  const currency = currencyParam(p, 'currency', false) ?? (pi.currency as string);
  if (p.has('currency')) changes.currency = currency;
  if (p.has('amount')) changes.amount = checkAmount(p, currency);
  if (p.has('customer')) {
    const id = p.string('customer')!;
    changes.customer = id === '' ? null : findCustomer(ctx, id).id;
  }
  if (p.has('description')) changes.description = nullable(p.string('description'), pi.description as string | null);
  if (p.has('receipt_email')) changes.receipt_email = nullable(p.string('receipt_email'), pi.receipt_email as string | null);
  if (p.has('metadata')) changes.metadata = p.metadataUpdate(pi.metadata as Record<string, string>);
  if (p.has('setup_future_usage')) changes.setup_future_usage = p.raw.setup_future_usage === '' ? null : p.enum('setup_future_usage', ['on_session', 'off_session']);
  if (p.has('capture_method')) changes.capture_method = p.enum('capture_method', ['automatic', 'automatic_async', 'manual']);
  if (p.has('statement_descriptor')) changes.statement_descriptor = nullable(p.string('statement_descriptor', { maxLength: 22 }), null);
  if (p.has('payment_method')) {
    const id = p.string('payment_method')!;
    changes.payment_method = id === '' ? null : resolvePaymentMethod(ctx, id).id;
    changes.status = changes.payment_method ? 'requires_confirmation' : 'requires_payment_method';
    changes.next_action = null;
  }
  updateAndEmit(ctx, 'payment_intent.updated', pi, changes);
  return pi;
}

function confirm(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('payment_method', 'payment_method_data', 'off_session', 'return_url', 'setup_future_usage', 'receipt_email',
    'mandate_data', 'payment_method_options', 'use_stripe_sdk', 'error_on_requires_action', 'capture_method',
    'shipping', 'client_secret', 'expand', 'payment_method_types');
  const pi = findPaymentIntent(ctx, path.intent, p);
  confirmIntent(ctx, pi, p, { includesCreateParams: false });
  return pi;
}

function confirmIntent(ctx: StripeContext, pi: StripeObject, p: Params, opts: { includesCreateParams: boolean }): void {
  if (!CONFIRMABLE.includes(pi.status as string))
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_payment_method, requires_confirmation, requires_action.`,
      'payment_intent_unexpected_state',
    );
  let pm: StripeObject | undefined;
  const data = p.object('payment_method_data');
  const pmId = opts.includesCreateParams ? undefined : p.string('payment_method');
  if (data) pm = paymentMethodFromData(ctx, data);
  else if (pmId) pm = resolvePaymentMethod(ctx, pmId);
  else if (pi.payment_method) pm = ctx.state.payment_methods[pi.payment_method as string];
  if (!pm)
    throw invalidRequest(
      'You cannot confirm this PaymentIntent because it\'s missing a payment method. To confirm the PaymentIntent with cus_xxx, specify a payment method attached to this customer along with the customer ID.',
      'payment_method',
      'payment_intent_unexpected_state',
    );
  if (pm.customer && pi.customer && pm.customer !== pi.customer)
    throw invalidRequest('The provided PaymentMethod belongs to a different customer than this PaymentIntent.', 'payment_method');
  if (pm.customer && !pi.customer)
    throw invalidRequest(
      'The provided PaymentMethod was previously attached to a Customer. To use it with this PaymentIntent, please provide the customer ID as well.',
      'payment_method',
    );
  const offSession = offSessionParam(p) ?? false;
  const returnUrl = p.string('return_url') ?? null;
  const useStripeSdk = p.bool('use_stripe_sdk') ?? ctx.auth === 'publishable';
  const changes: Record<string, unknown> = { payment_method: pm.id };
  if (!opts.includesCreateParams) {
    if (p.has('setup_future_usage'))
      changes.setup_future_usage = p.raw.setup_future_usage === '' ? null : p.enum('setup_future_usage', ['on_session', 'off_session']);
    if (p.has('receipt_email')) changes.receipt_email = nullable(p.string('receipt_email'), null);
    if (p.has('capture_method')) changes.capture_method = p.enum('capture_method', ['automatic', 'automatic_async', 'manual']);
  }
  update(pi, changes);
  // A challenge already passed for this intent and card (manual confirmation) is not asked again.
  const auth = ctx.state.authentications[pi.id];
  const authenticated = auth?.status === 'succeeded' && auth.paymentMethod === pm.id;
  if (p.bool('error_on_requires_action') && decide(ctx, pm, { offSession, authenticated }).kind === 'authenticate') {
    failPayment(ctx, pi, declineErrorForAuth(pm), true);
  }
  process(ctx, pi, pm, { offSession, returnUrl, useStripeSdk, authenticated });
}

function declineErrorForAuth(pm: StripeObject) {
  return declineError(
    { code: 'authentication_required', declineCode: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.', networkStatus: 'declined_by_network', outcomeType: 'issuer_declined', sellerMessage: '' },
    pm,
    null,
  );
}

/** Runs the issuer's decision and moves the intent: succeeded / requires_capture / requires_action / failed. */
function process(
  ctx: StripeContext,
  pi: StripeObject,
  pm: StripeObject,
  opts: { offSession: boolean; returnUrl: string | null; useStripeSdk: boolean; authenticated: boolean },
): void {
  const decision = decide(ctx, pm, opts);
  if (decision.kind === 'authenticate') {
    ctx.state.authentications[pi.id] = {
      status: 'pending',
      paymentMethod: pm.id,
      offSessionSetup: pi.setup_future_usage === 'off_session',
    };
    update(pi, { status: 'requires_action', next_action: nextActionFor(ctx, pi, opts), last_payment_error: null });
    emit(ctx, 'payment_intent.requires_action', pi);
    return;
  }
  if (decision.kind === 'decline') {
    const charge = createCharge(ctx, chargeInput(pi, pm, { decline: decision.decline, threeDSecure: opts.authenticated }));
    failPayment(ctx, pi, declineError(decision.decline, pm, charge.id), true, charge.id);
  }
  succeedPayment(ctx, pi, pm, opts.authenticated);
}

function chargeInput(pi: StripeObject, pm: StripeObject, extra: { decline?: Decline; threeDSecure: boolean }) {
  return {
    amount: pi.amount as number,
    currency: pi.currency as string,
    customer: (pi.customer as string | null) ?? null,
    paymentIntent: pi.id,
    pm,
    description: pi.description as string | null,
    metadata: pi.metadata as Record<string, string>,
    receiptEmail: pi.receipt_email as string | null,
    capture: pi.capture_method !== 'manual',
    threeDSecure: extra.threeDSecure,
    decline: extra.decline,
  };
}

/** Records the failure and throws the 402 (state kept) when `throwError`. */
function failPayment(
  ctx: StripeContext,
  pi: StripeObject,
  error: Record<string, unknown>,
  throwError: boolean,
  chargeId?: string,
): void {
  update(pi, {
    status: 'requires_payment_method',
    last_payment_error: error,
    payment_method: null,
    next_action: null,
    ...(chargeId ? { latest_charge: chargeId } : {}),
  });
  emit(ctx, 'payment_intent.payment_failed', pi);
  if (throwError && error.type === 'card_error') throw cardDeclined(error, { payment_intent: pi });
}

function succeedPayment(ctx: StripeContext, pi: StripeObject, pm: StripeObject, authenticated: boolean): void {
  const charge = createCharge(ctx, chargeInput(pi, pm, { threeDSecure: authenticated }));
  const manual = pi.capture_method === 'manual';
  update(pi, {
    status: manual ? 'requires_capture' : 'succeeded',
    amount_capturable: manual ? pi.amount : 0,
    amount_received: manual ? 0 : pi.amount,
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: null,
  });
  if (pi.setup_future_usage && pi.customer && !pm.customer) attachPaymentMethod(ctx, pm, pi.customer as string);
  const card: CardRecord | undefined = ctx.state.cards[pm.id];
  if (card && pi.setup_future_usage === 'off_session' && authenticated) card.setUpForOffSession = true;
  if (card && pi.setup_future_usage === 'off_session' && card.behaviour === 'success') card.setUpForOffSession = true;
  emit(ctx, manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', pi);
  if (!manual && card?.behaviour === 'dispute_after_charge') openDispute(ctx, charge);
}

/** The 3-D Secure challenge's outcome for a PaymentIntent in requires_action. */
export function completePaymentAuthentication(ctx: StripeContext, pi: StripeObject, success: boolean): void {
  const auth = ctx.state.authentications[pi.id];
  if (pi.status !== 'requires_action' || !auth || auth.status !== 'pending')
    throw unexpectedState(`This PaymentIntent is not awaiting authentication (status ${pi.status}).`, 'payment_intent_unexpected_state');
  const pm = ctx.state.payment_methods[auth.paymentMethod];
  auth.status = success ? 'succeeded' : 'failed';
  if (!success) {
    failPayment(ctx, pi, authenticationFailureError(pm, 'payment_intent'), false);
    return;
  }
  if (auth.offSessionSetup && ctx.state.cards[pm.id]) ctx.state.cards[pm.id].setUpForOffSession = true;
  if (pi.confirmation_method === 'manual') {
    update(pi, { status: 'requires_confirmation', next_action: null });
    return;
  }
  try {
    process(ctx, pi, pm, { offSession: false, returnUrl: null, useStripeSdk: true, authenticated: true });
  } catch (err) {
    // A decline after authentication is recorded on the intent; the challenge itself completed.
    if (!(err instanceof Error && 'commit' in err)) throw err;
  }
}

function capture(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('amount_to_capture', 'metadata', 'description', 'statement_descriptor', 'statement_descriptor_suffix', 'final_capture', 'expand');
  const pi = find(ctx, 'payment_intents', path.intent, 'intent');
  if (pi.status !== 'requires_capture')
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      'payment_intent_unexpected_state',
    );
  const capturable = pi.amount_capturable as number;
  const amount = p.int('amount_to_capture', { min: 1 }) ?? capturable;
  if (amount > capturable)
    throw invalidRequest(`The amount to capture (${amount}) must be less than or equal to the amount capturable (${capturable}).`, 'amount_to_capture', 'amount_too_large');
  const charge = ctx.state.charges[pi.latest_charge as string];
  const chargePrevious = update(charge, { captured: true, amount_captured: amount });
  emit(ctx, 'charge.captured', charge, chargePrevious);
  // 2024-04-10: the released remainder of a partial capture is a Refund.
  if (amount < (charge.amount as number)) recordRefund(ctx, charge, (charge.amount as number) - amount);
  const changes: Record<string, unknown> = { status: 'succeeded', amount_capturable: 0, amount_received: amount };
  if (p.has('metadata')) changes.metadata = p.metadataUpdate(pi.metadata as Record<string, string>);
  if (p.has('description')) changes.description = nullable(p.string('description'), pi.description as string | null);
  update(pi, changes);
  emit(ctx, 'payment_intent.succeeded', pi);
  if (ctx.state.cards[charge.payment_method as string]?.behaviour === 'dispute_after_charge') openDispute(ctx, charge);
  return pi;
}

function cancel(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('cancellation_reason', 'expand');
  const pi = find(ctx, 'payment_intents', path.intent, 'intent');
  if (!CANCELABLE.includes(pi.status as string))
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
      'payment_intent_unexpected_state',
    );
  const reason = p.enum('cancellation_reason', ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']) ?? null;
  if (pi.status === 'requires_capture') {
    // 2024-04-10: releasing the authorization is a Refund of the whole (uncaptured) charge.
    recordRefund(ctx, ctx.state.charges[pi.latest_charge as string], pi.amount_capturable as number);
  }
  delete ctx.state.authentications[pi.id];
  update(pi, { status: 'canceled', canceled_at: now(ctx), cancellation_reason: reason, next_action: null, amount_capturable: 0 });
  emit(ctx, 'payment_intent.canceled', pi);
  return pi;
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'customer', 'created');
  const customer = p.string('customer');
  const inRange = createdFilter(p);
  const all = newestFirst(ctx.state.payment_intents).filter((pi) => inRange(pi) && (customer === undefined || pi.customer === customer));
  return paginate(all, p, '/v1/payment_intents');
}

export const paymentIntentRoutes: Route[] = [
  { method: 'POST', path: '/v1/payment_intents', handler: createPaymentIntent },
  { method: 'GET', path: '/v1/payment_intents', handler: list },
  { method: 'GET', path: '/v1/payment_intents/:intent', handler: retrieve, publishable: true },
  { method: 'POST', path: '/v1/payment_intents/:intent', handler: modify },
  { method: 'POST', path: '/v1/payment_intents/:intent/confirm', handler: confirm, publishable: true },
  { method: 'POST', path: '/v1/payment_intents/:intent/capture', handler: capture },
  { method: 'POST', path: '/v1/payment_intents/:intent/cancel', handler: cancel },
];
