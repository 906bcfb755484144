/**
 * Checkout Sessions in payment and setup mode, paid on a hosted page served by the sandbox
 * (`url` → /checkout/pay/:id). The PaymentIntent / SetupIntent is created when the customer pays.
 */
import { emit, now, update, type StripeContext } from '../context';
import { invalidRequest, unexpectedState } from '../errors';
import { encodeForm, parseForm } from '../form';
import { newId, randomBase62 } from '../ids';
import { LIST_PARAMS, createdFilter, newestFirst, paginate } from '../list';
import { Params, currencyParam, nullable } from '../params';
import type { Route } from '../router';
import { find } from '../shared';
import type { StripeObject, StripeState } from '../state';
import { findCustomer } from './customers';
import { createPaymentIntent } from './payment-intents';
import { createSetupIntent } from './setup-intents';

const DAY = 24 * 60 * 60;

function readLineItems(ctx: StripeContext, p: Params): { items: StripeObject[]; currency: string; total: number } {
  const lines = p.objects('line_items');
  if (!lines || lines.length === 0) throw invalidRequest('Missing required param: line_items.', 'line_items', 'parameter_missing');
  let currency: string | undefined;
  let total = 0;
  const items = lines.map((line) => {
    line.only('price_data', 'quantity', 'price', 'adjustable_quantity', 'tax_rates');
    if (line.has('price'))
      throw invalidRequest('The sandbox supports price_data line items only (the app owns its catalog).', line.name('price'));
    const quantity = line.int('quantity', { required: true, min: 1, max: 999_999 })!;
    const data = line.object('price_data', { required: true })!;
    data.only('currency', 'unit_amount', 'product_data', 'tax_behavior', 'product', 'recurring', 'unit_amount_decimal');
    if (data.has('recurring')) throw invalidRequest('Recurring prices are not supported by the sandbox.', data.name('recurring'));
    const lineCurrency = currencyParam(data)!;
    if (currency && lineCurrency !== currency)
      throw invalidRequest('All line items must use the same currency.', data.name('currency'));
    currency = lineCurrency;
    const unitAmount = data.int('unit_amount', { required: true, min: 0 })!;
    const product = data.object('product_data', { required: true })!;
    product.only('name', 'description', 'metadata', 'images', 'tax_code');
    const name = product.string('name', { required: true })!;
    const amount = unitAmount * quantity;
    total += amount;
    return {
      id: `li_${randomBase62(24)}`,
      object: 'item',
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: lineCurrency,
      description: name,
      price: {
        id: newId('price'),
        object: 'price',
        active: false,
        billing_scheme: 'per_unit',
        created: now(ctx),
        currency: lineCurrency,
        custom_unit_amount: null,
        livemode: false,
        lookup_key: null,
        metadata: {},
        nickname: null,
        product: newId('prod'),
        recurring: null,
        tax_behavior: 'unspecified',
        tiers_mode: null,
        transform_quantity: null,
        type: 'one_time',
        unit_amount: unitAmount,
        unit_amount_decimal: String(unitAmount),
      },
      quantity,
      created: now(ctx),
    } as StripeObject;
  });
  return { items, currency: currency!, total };
}

function create(ctx: StripeContext, p: Params): StripeObject {
  p.only('mode', 'success_url', 'cancel_url', 'line_items', 'customer', 'customer_email', 'client_reference_id',
    'metadata', 'payment_intent_data', 'setup_intent_data', 'currency', 'expires_at', 'payment_method_types',
    'customer_creation', 'locale', 'submit_type', 'billing_address_collection', 'ui_mode', 'allow_promotion_codes', 'expand');
  const mode = p.enum('mode', ['payment', 'setup', 'subscription'], { required: true })!;
  if (mode === 'subscription')
    throw invalidRequest('Subscription mode is not supported by the sandbox: the app owns its subscriptions.', 'mode');
  const successUrl = p.string('success_url', { required: true, maxLength: 5000 })!;
  const customerId = p.string('customer');
  const customer = customerId ? findCustomer(ctx, customerId) : undefined;
  const customerEmail = p.string('customer_email');
  if (customer && customerEmail) throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  const expiresAt = p.int('expires_at') ?? now(ctx) + DAY;
  if (expiresAt < now(ctx) + 30 * 60 || expiresAt > now(ctx) + DAY)
    throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
  let items: StripeObject[] = [];
  let currency: string | null = currencyParam(p, 'currency', false) ?? null;
  let total: number | null = null;
  if (mode === 'payment') {
    const read = readLineItems(ctx, p);
    items = read.items;
    currency = read.currency;
    total = read.total;
  } else if (p.has('line_items')) {
    throw invalidRequest('You cannot pass `line_items` in `setup` mode.', 'line_items');
  }
  // Validate the intent parameters now so a bad value fails the create, not the payment.
  const piData = p.object('payment_intent_data');
  piData?.only('metadata', 'setup_future_usage', 'capture_method', 'description', 'receipt_email', 'statement_descriptor');
  piData?.enum('setup_future_usage', ['on_session', 'off_session']);
  piData?.enum('capture_method', ['automatic', 'automatic_async', 'manual']);
  piData?.metadataUpdate({});
  const siData = p.object('setup_intent_data');
  siData?.only('metadata', 'description');
  siData?.metadataUpdate({});

  const id = `cs_test_${randomBase62(58)}`;
  const session: StripeObject = {
    id,
    object: 'checkout.session',
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_address_collection: null,
    cancel_url: nullable(p.string('cancel_url'), null),
    client_reference_id: nullable(p.string('client_reference_id', { maxLength: 200 }), null),
    client_secret: null,
    consent: null,
    consent_collection: null,
    created: now(ctx),
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: customer?.id ?? null,
    customer_creation: customer ? null : 'if_required',
    customer_details: null,
    customer_email: customerEmail ?? null,
    expires_at: expiresAt,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    metadata: p.metadataUpdate({}),
    mode,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: mode === 'setup' ? 'no_payment_required' : 'unpaid',
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_details: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: successUrl,
    total_details: mode === 'payment' ? { amount_discount: 0, amount_shipping: 0, amount_tax: 0 } : null,
    ui_mode: 'hosted',
    url: `${ctx.settings.origin}/checkout/pay/${id}`,
  };
  ctx.state.checkout_sessions[id] = session;
  ctx.state.lineItems[id] = items;
  // Kept so the PaymentIntent gets them at payment time (not part of Stripe's session object).
  const intentData = mode === 'payment' ? piData : siData;
  if (intentData) ctx.state.checkoutIntentData[id] = encodeForm(intentData.raw);
  return session;
}

function expireIfDue(ctx: StripeContext, session: StripeObject): void {
  if (session.status === 'open' && now(ctx) >= (session.expires_at as number)) expire(ctx, session);
}

export function hasDueExpirations(state: StripeState, nowSeconds: number): boolean {
  return Object.values(state.checkout_sessions).some((s) => s.status === 'open' && nowSeconds >= (s.expires_at as number));
}

export function expireDueSessions(ctx: StripeContext): void {
  for (const session of Object.values(ctx.state.checkout_sessions)) expireIfDue(ctx, session);
}

function expire(ctx: StripeContext, session: StripeObject): void {
  update(session, { status: 'expired', url: null });
  emit(ctx, 'checkout.session.expired', session);
}

/** The hosted page's "Pay" (or the control surface): creates and confirms the intent for this session. */
export function completeCheckoutSession(ctx: StripeContext, sessionId: string, paymentMethod: string, email?: string): StripeObject {
  const session = find(ctx, 'checkout_sessions', sessionId, 'session');
  expireIfDue(ctx, session);
  if (session.status !== 'open') throw unexpectedState(`This Checkout Session is ${session.status}.`, 'checkout_session_unexpected_state');
  const intentData = parseForm(ctx.state.checkoutIntentData[sessionId] ?? '');
  if (email && !session.customer) session.customer_email = session.customer_email ?? email;
  const common: Record<string, string> = { payment_method: paymentMethod, confirm: 'true', use_stripe_sdk: 'true' };
  if (session.customer) common.customer = session.customer as string;
  if (session.mode === 'payment') {
    const pi = createPaymentIntent(
      ctx,
      new Params({ ...intentData, ...common, amount: String(session.amount_total), currency: session.currency as string }),
    );
    session.payment_intent = pi.id;
    finalizeCheckoutForIntent(ctx, pi);
    return pi;
  }
  const si = createSetupIntent(ctx, new Params({ ...intentData, ...common }));
  session.setup_intent = si.id;
  finalizeCheckoutForIntent(ctx, si);
  return si;
}

/** Completes the session that paid with this intent, once the intent has succeeded. */
export function finalizeCheckoutForIntent(ctx: StripeContext, intent: StripeObject): void {
  const key = intent.object === 'setup_intent' ? 'setup_intent' : 'payment_intent';
  const session = Object.values(ctx.state.checkout_sessions).find((s) => s[key] === intent.id && s.status === 'open');
  if (!session) return;
  const done = intent.status === 'succeeded' || intent.status === 'requires_capture';
  if (!done) return;
  const pm = ctx.state.payment_methods[intent.payment_method as string];
  const billing = (pm?.billing_details ?? {}) as { email?: string | null; name?: string | null; address?: unknown; phone?: string | null };
  update(session, {
    status: 'complete',
    payment_status: session.mode === 'setup' ? 'no_payment_required' : 'paid',
    url: null,
    customer_details: {
      address: billing.address ?? null,
      email: billing.email ?? (session.customer_email as string | null) ?? null,
      name: billing.name ?? null,
      phone: billing.phone ?? null,
      tax_exempt: 'none',
      tax_ids: [],
    },
  });
  emit(ctx, 'checkout.session.completed', session);
}

function retrieve(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  const session = find(ctx, 'checkout_sessions', path.session, 'session');
  return session;
}

function expireRoute(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  const session = find(ctx, 'checkout_sessions', path.session, 'session');
  if (session.status !== 'open')
    throw unexpectedState(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`, 'checkout_session_unexpected_state');
  expire(ctx, session);
  return session;
}

function lineItems(ctx: StripeContext, p: Params, path: Record<string, string>): unknown {
  p.only(...LIST_PARAMS);
  const session = find(ctx, 'checkout_sessions', path.session, 'session');
  const items = (ctx.state.lineItems[session.id] ?? []).map((item) => {
    const { created: _created, ...rest } = item;
    return rest as StripeObject;
  });
  return paginate(items, p, `/v1/checkout/sessions/${session.id}/line_items`);
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'payment_intent', 'customer', 'status', 'created', 'setup_intent');
  const pi = p.string('payment_intent');
  const customer = p.string('customer');
  const status = p.enum('status', ['open', 'complete', 'expired']);
  const inRange = createdFilter(p);
  const all = newestFirst(ctx.state.checkout_sessions).filter(
    (s) =>
      inRange(s) &&
      (pi === undefined || s.payment_intent === pi) &&
      (customer === undefined || s.customer === customer) &&
      (status === undefined || s.status === status),
  );
  return paginate(all, p, '/v1/checkout/sessions');
}

export const checkoutSessionRoutes: Route[] = [
  { method: 'POST', path: '/v1/checkout/sessions', handler: create },
  { method: 'GET', path: '/v1/checkout/sessions', handler: list },
  { method: 'GET', path: '/v1/checkout/sessions/:session', handler: retrieve },
  { method: 'POST', path: '/v1/checkout/sessions/:session/expire', handler: expireRoute },
  { method: 'GET', path: '/v1/checkout/sessions/:session/line_items', handler: lineItems },
];
