/**
 * PaymentMethods (cards): create (from card details, a tok_* token or a pm_card_* test token), retrieve,
 * update, attach, detach, list. Only brand, last 4, expiry and fingerprint are kept, plus the test card's
 * behaviour tag; the number and CVC are dropped once read.
 */
import { AUTHENTICATION_REQUIRED, cardFacts, cvcLength, declinesOnValidation, luhnValid, DECLINES, TEST_PAYMENT_METHOD_TOKENS, TEST_TOKENS } from '../cards';
import { emit, now, update, type StripeContext } from '../context';
import { StripeApiError, invalidRequest, noSuchResource } from '../errors';
import { newId } from '../ids';
import { LIST_PARAMS, newestFirst, paginate } from '../list';
import type { Params } from '../params';
import type { Route } from '../router';
import { emptyBillingDetails, find, readBillingDetails, type BillingDetails } from '../shared';
import type { StripeObject } from '../state';
import { findCustomer } from './customers';

const cardError = (code: string, message: string, param: string) =>
  new StripeApiError(402, { type: 'card_error', code, message, param });

interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc?: string;
}

function validateCard(ctx: StripeContext, input: CardInput): void {
  const digits = input.number.replace(/[\s-]/g, '');
  if (!luhnValid(digits)) throw cardError('incorrect_number', 'Your card number is incorrect.', 'card[number]');
  if (input.expMonth < 1 || input.expMonth > 12)
    throw cardError('invalid_expiry_month', "Your card's expiration month is invalid.", 'card[exp_month]');
  const year = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
  const today = new Date(ctx.clock.now());
  const [thisYear, thisMonth] = [today.getUTCFullYear(), today.getUTCMonth() + 1];
  if (year < thisYear || year > thisYear + 50)
    throw cardError('invalid_expiry_year', "Your card's expiration year is invalid.", 'card[exp_year]');
  if (year === thisYear && input.expMonth < thisMonth)
    throw cardError('invalid_expiry_month', "Your card's expiration month is invalid.", 'card[exp_month]');
  const facts = cardFacts(digits, ctx.settings.stripe.secretKey);
  if (input.cvc !== undefined && !new RegExp(`^\\d{${cvcLength(facts.brand)}}$`).test(input.cvc))
    throw cardError('invalid_cvc', "Your card's security code is invalid.", 'card[cvc]');
}

/** Stores a new card PaymentMethod; the number does not outlive this call. */
export function storeCardPaymentMethod(
  ctx: StripeContext,
  input: CardInput,
  extras: { billingDetails?: BillingDetails; metadata?: Record<string, string> } = {},
): StripeObject {
  validateCard(ctx, input);
  const facts = cardFacts(input.number, ctx.settings.stripe.secretKey);
  const pm: StripeObject = {
    id: newId('pm'),
    object: 'payment_method',
    billing_details: extras.billingDetails ?? emptyBillingDetails(),
    card: {
      brand: facts.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: input.cvc ? 'pass' : null },
      country: facts.country,
      display_brand: facts.brand,
      exp_month: input.expMonth,
      exp_year: input.expYear < 100 ? 2000 + input.expYear : input.expYear,
      fingerprint: facts.fingerprint,
      funding: facts.funding,
      generated_from: null,
      last4: facts.last4,
      networks: { available: [facts.brand], preferred: null },
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: now(ctx),
    customer: null,
    livemode: false,
    metadata: extras.metadata ?? {},
    type: 'card',
  };
  ctx.state.payment_methods[pm.id] = pm;
  ctx.state.cards[pm.id] = { behaviour: facts.behaviour, setUpForOffSession: false };
  return pm;
}

function testCardInput(ctx: StripeContext, number: string): CardInput {
  const year = new Date(ctx.clock.now()).getUTCFullYear() + 3;
  return { number, expMonth: 12, expYear: year, cvc: number.length === 15 ? '1234' : '123' };
}

/** A stored PaymentMethod, or a fresh one for a `pm_card_*` test token (as Stripe test mode does). */
export function resolvePaymentMethod(ctx: StripeContext, id: string, param = 'payment_method'): StripeObject {
  const testNumber = TEST_PAYMENT_METHOD_TOKENS[id];
  if (testNumber) return storeCardPaymentMethod(ctx, testCardInput(ctx, testNumber));
  const pm = ctx.state.payment_methods[id];
  if (!pm) throw noSuchResource('PaymentMethod', id, param);
  return pm;
}

/** payment_method_data[type]=card&payment_method_data[card][...] on confirm. */
export function paymentMethodFromData(ctx: StripeContext, data: Params): StripeObject {
  data.only('type', 'card', 'billing_details', 'metadata', 'allow_redisplay');
  const type = data.enum('type', ['card'], { required: true });
  void type;
  const card = data.object('card', { required: true })!;
  return storeCardPaymentMethod(ctx, readCardInput(ctx, card), {
    billingDetails: readBillingDetails(data.object('billing_details')),
    metadata: data.metadataUpdate({}),
  });
}

function readCardInput(ctx: StripeContext, card: Params): CardInput {
  card.only('number', 'exp_month', 'exp_year', 'cvc', 'token');
  const token = card.string('token');
  if (token !== undefined) {
    const number = TEST_TOKENS[token];
    if (!number) throw noSuchResource('token', token, card.name('token'));
    return testCardInput(ctx, number);
  }
  return {
    number: card.string('number', { required: true })!,
    expMonth: card.int('exp_month', { required: true })!,
    expYear: card.int('exp_year', { required: true })!,
    cvc: card.string('cvc'),
  };
}

/** Attaches after the issuer's validation (which declines cards that decline on every use). */
export function attachPaymentMethod(ctx: StripeContext, pm: StripeObject, customerId: string): void {
  if (pm.customer === customerId) return;
  if (pm.customer)
    throw invalidRequest('The payment method you provided has already been attached to a customer.', 'payment_method');
  const card = ctx.state.cards[pm.id];
  if (card && declinesOnValidation(card.behaviour)) {
    const decline = DECLINES[card.behaviour] ?? AUTHENTICATION_REQUIRED;
    throw new StripeApiError(402, {
      type: 'card_error',
      code: decline.code,
      ...(decline.declineCode ? { decline_code: decline.declineCode } : {}),
      message: decline.message,
    });
  }
  const previous = update(pm, { customer: customerId });
  emit(ctx, 'payment_method.attached', pm, previous);
}

function create(ctx: StripeContext, p: Params): StripeObject {
  p.only('type', 'card', 'billing_details', 'metadata', 'expand', 'customer', 'payment_method', 'allow_redisplay');
  const fromPaymentMethod = p.string('payment_method');
  if (fromPaymentMethod) {
    // Cloning a customer's PaymentMethod (Connect); here: a copy with the same card record.
    const source = find(ctx, 'payment_methods', fromPaymentMethod, 'payment_method');
    const copy = { ...structuredClone(source), id: newId('pm'), customer: null, created: now(ctx) };
    ctx.state.payment_methods[copy.id] = copy;
    ctx.state.cards[copy.id] = { ...ctx.state.cards[source.id], setUpForOffSession: false };
    return copy;
  }
  p.enum('type', ['card'], { required: true });
  const card = p.object('card', { required: true })!;
  const pm = storeCardPaymentMethod(ctx, readCardInput(ctx, card), {
    billingDetails: readBillingDetails(p.object('billing_details')),
    metadata: p.metadataUpdate({}),
  });
  const customerId = p.string('customer');
  if (customerId) attachPaymentMethod(ctx, pm, findCustomer(ctx, customerId).id);
  return pm;
}

function retrieve(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  return find(ctx, 'payment_methods', path.payment_method, 'payment_method');
}

function modify(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('billing_details', 'card', 'metadata', 'expand', 'allow_redisplay');
  const pm = find(ctx, 'payment_methods', path.payment_method, 'payment_method');
  const changes: Record<string, unknown> = {};
  if (p.has('billing_details')) changes.billing_details = readBillingDetails(p.object('billing_details'), pm.billing_details as BillingDetails);
  if (p.has('metadata')) changes.metadata = p.metadataUpdate(pm.metadata as Record<string, string>);
  const card = p.object('card');
  if (card) {
    card.only('exp_month', 'exp_year', 'networks');
    const next = { ...(pm.card as Record<string, unknown>) };
    const month = card.int('exp_month', { min: 1, max: 12 });
    const year = card.int('exp_year', { min: 2000, max: 2100 });
    if (month !== undefined) next.exp_month = month;
    if (year !== undefined) next.exp_year = year;
    changes.card = next;
  }
  const previous = update(pm, changes);
  if (Object.keys(previous).length > 0) emit(ctx, 'payment_method.updated', pm, previous);
  return pm;
}

function attach(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('customer', 'expand');
  const customerId = p.string('customer', { required: true })!;
  const pm = resolvePaymentMethod(ctx, path.payment_method, 'payment_method');
  const customer = findCustomer(ctx, customerId);
  attachPaymentMethod(ctx, pm, customer.id);
  return pm;
}

function detach(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  const pm = find(ctx, 'payment_methods', path.payment_method, 'payment_method');
  if (!pm.customer)
    throw invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', undefined, 'payment_method_unexpected_state');
  const previousCustomer = pm.customer as string;
  const previous = update(pm, { customer: null });
  const customer = ctx.state.customers[previousCustomer];
  const settings = customer?.invoice_settings as { default_payment_method: string | null } | undefined;
  if (customer && settings?.default_payment_method === pm.id) {
    const prev = update(customer, { invoice_settings: { ...settings, default_payment_method: null } });
    emit(ctx, 'customer.updated', customer, prev);
  }
  emit(ctx, 'payment_method.detached', pm, previous);
  return pm;
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'customer', 'type');
  const customerId = p.string('customer');
  if (customerId) findCustomer(ctx, customerId);
  const type = p.enum('type', ['card']);
  const all = newestFirst(ctx.state.payment_methods).filter(
    (pm) => (customerId === undefined ? pm.customer !== null : pm.customer === customerId) && (type === undefined || pm.type === type),
  );
  return paginate(all, p, '/v1/payment_methods');
}

export const paymentMethodRoutes: Route[] = [
  { method: 'POST', path: '/v1/payment_methods', handler: create, publishable: true },
  { method: 'GET', path: '/v1/payment_methods', handler: list },
  { method: 'GET', path: '/v1/payment_methods/:payment_method', handler: retrieve },
  { method: 'POST', path: '/v1/payment_methods/:payment_method', handler: modify },
  { method: 'POST', path: '/v1/payment_methods/:payment_method/attach', handler: attach },
  { method: 'POST', path: '/v1/payment_methods/:payment_method/detach', handler: detach },
];
