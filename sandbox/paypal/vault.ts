/**
 * Vault v3: setup tokens (the buyer approves saving their PayPal account), payment tokens (a saved PayPal
 * account the merchant can charge later without the buyer: `payment_source.paypal.vault_id`), list by
 * customer, show, delete. Errors use the Vault API's error shape (name, message, debug_id, details[].issue).
 */
import { invalidRequest, notFound, PaypalApiError } from './errors';
import type { Services } from './services';
import { SANDBOX_BUYER } from './services';
import type { Payer, PaymentTokenRecord, PaypalState, SetupTokenRecord } from './state';
import { paypalId } from './state';
import { Checker, type Json } from './validate';
import type { Emit } from './webhooks';

const TOKEN_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function newCustomerId(): string {
  return paypalId(10, TOKEN_ALPHABET);
}

export function createPaymentToken(
  svc: Services,
  draft: PaypalState,
  input: { customerId?: string; payer: Payer; usageType: string },
  emit: Emit,
): PaymentTokenRecord {
  const token: PaymentTokenRecord = {
    id: paypalId(8, TOKEN_ALPHABET),
    customerId: input.customerId ?? newCustomerId(),
    payer: input.payer,
    usageType: input.usageType,
    createTime: svc.now(),
    deleted: false,
  };
  draft.paymentTokens[token.id] = token;
  emit('VAULT.PAYMENT-TOKEN.CREATED', { ...svc.render.paymentToken(token), create_time: token.createTime }, 'A payment token has been created.');
  return token;
}

function paypalSourceCheck(body: Json, c: Checker): { usageType: string; experience?: Json; customerId?: string } {
  const source = c.object(body, 'payment_source', '', true);
  const customer = c.object(body, 'customer', '');
  const customerId = customer ? c.string(customer, 'id', '/customer', { max: 22 }) : undefined;
  if (customerId !== undefined && !/^[0-9a-zA-Z_-]+$/.test(customerId)) c.invalid('/customer/id', customerId, 'INVALID_PARAMETER_SYNTAX');
  if (!source) {
    c.throwIfAny();
    return { usageType: 'MERCHANT' };
  }
  const kinds = Object.keys(source);
  if (!kinds.includes('paypal')) {
    c.details.push({ field: '/payment_source', location: 'body', issue: kinds.length === 0 ? 'MISSING_REQUIRED_PARAMETER' : 'PAYMENT_SOURCE_NOT_SUPPORTED' });
  }
  const paypal = c.object(source, 'paypal', '/payment_source') ?? {};
  const usage = c.string(paypal, 'usage_type', '/payment_source/paypal', { max: 255 });
  if (usage !== undefined && usage !== 'MERCHANT' && usage !== 'PLATFORM') c.invalid('/payment_source/paypal/usage_type', usage);
  const experience = c.object(paypal, 'experience_context', '/payment_source/paypal');
  if (experience) {
    for (const key of ['return_url', 'cancel_url']) {
      const url = c.string(experience, key, '/payment_source/paypal/experience_context', { max: 4000 });
      if (url !== undefined && !/^https?:\/\//.test(url)) c.invalid(`/payment_source/paypal/experience_context/${key}`, url, 'INVALID_PARAMETER_SYNTAX');
    }
  }
  c.throwIfAny();
  return { usageType: usage ?? 'MERCHANT', experience, customerId };
}

/** `POST /v3/vault/setup-tokens` */
export function createSetupToken(svc: Services, body: Json, clientId: string): SetupTokenRecord {
  const c = new Checker();
  const { usageType, experience, customerId } = paypalSourceCheck(body, c);
  return svc.store.transaction((draft) => {
    const token: SetupTokenRecord = {
      id: paypalId(17),
      status: 'PAYER_ACTION_REQUIRED',
      customerId: customerId ?? newCustomerId(),
      usageType,
      ...(experience ? { experienceContext: experience } : {}),
      createTime: svc.now(),
      createdAt: svc.nowMs(),
      clientId,
    };
    draft.setupTokens[token.id] = token;
    return token;
  });
}

export function getSetupToken(svc: Services, id: string): SetupTokenRecord {
  const t = svc.store.state.setupTokens[id];
  if (!t) throw notFound('id', id);
  return t;
}

/** The buyer approves saving their PayPal account (approval window or `approve_setup_token`). */
export function approveSetupToken(svc: Services, id: string, payer: Partial<Payer> = {}): SetupTokenRecord {
  return svc.store.transaction((draft) => {
    const t = draft.setupTokens[id];
    if (!t) throw notFound('id', id);
    if (t.status === 'PAYER_ACTION_REQUIRED') {
      t.status = 'APPROVED';
      t.payer = { ...SANDBOX_BUYER, ...payer };
    }
    return t;
  });
}

/** `POST /v3/vault/payment-tokens` with `payment_source.token = { id: <setup token>, type: 'SETUP_TOKEN' }`. */
export function createPaymentTokenFromSetup(svc: Services, body: Json): PaymentTokenRecord {
  const c = new Checker();
  const source = c.object(body, 'payment_source', '', true);
  const token = source ? c.object(source, 'token', '/payment_source', true) : undefined;
  const id = token ? c.string(token, 'id', '/payment_source/token', { required: true, max: 255 }) : undefined;
  const type = token ? c.string(token, 'type', '/payment_source/token', { required: true }) : undefined;
  if (type !== undefined && type !== 'SETUP_TOKEN') c.invalid('/payment_source/token/type', type);
  c.throwIfAny();
  const setup = svc.store.state.setupTokens[id!];
  if (!setup) throw invalidRequest([{ field: '/payment_source/token/id', value: id, location: 'body', issue: 'INVALID_PARAMETER_VALUE' }]);
  if (setup.status === 'PAYER_ACTION_REQUIRED') {
    throw new PaypalApiError('UNPROCESSABLE_ENTITY', [
      { field: '/payment_source/token/id', value: id, location: 'body', issue: 'SETUP_TOKEN_NOT_APPROVED', description: 'The payer has not approved the setup token.' },
    ]);
  }
  if (setup.status === 'VAULTED') {
    throw new PaypalApiError('UNPROCESSABLE_ENTITY', [
      { field: '/payment_source/token/id', value: id, location: 'body', issue: 'SETUP_TOKEN_ALREADY_USED', description: 'The setup token has already been used to create a payment token.' },
    ]);
  }
  return svc.hooks.mutate((draft, emit) => {
    const s = draft.setupTokens[id!];
    const created = createPaymentToken(svc, draft, { customerId: s.customerId, payer: s.payer!, usageType: s.usageType }, emit);
    s.status = 'VAULTED';
    s.paymentTokenId = created.id;
    return created;
  });
}

export function getPaymentToken(svc: Services, id: string): PaymentTokenRecord {
  const t = svc.store.state.paymentTokens[id];
  if (!t || t.deleted) throw notFound('id', id);
  return t;
}

export function listPaymentTokens(svc: Services, customerId: string | null): Json {
  if (!customerId) throw invalidRequest([{ field: 'customer_id', location: 'query', issue: 'MISSING_REQUIRED_PARAMETER' }]);
  const tokens = Object.values(svc.store.state.paymentTokens).filter((t) => t.customerId === customerId && !t.deleted);
  const self = { href: `${svc.ctx.settings.origin}/paypal/v3/vault/payment-tokens?customer_id=${encodeURIComponent(customerId)}`, rel: 'self', method: 'GET' };
  return {
    customer: { id: customerId },
    ...(tokens.length > 0 ? { total_items: tokens.length, total_pages: 1 } : {}),
    payment_tokens: tokens.map((t) => svc.render.paymentToken(t)),
    links: [self],
  };
}

/** `DELETE /v3/vault/payment-tokens/{id}` */
export function deletePaymentToken(svc: Services, id: string): void {
  getPaymentToken(svc, id);
  svc.hooks.mutate((draft, emit) => {
    const t = draft.paymentTokens[id];
    t.deleted = true;
    emit('VAULT.PAYMENT-TOKEN.DELETED', { id: t.id, customer: { id: t.customerId }, links: svc.render.paymentToken(t).links }, 'A payment token has been deleted.');
  });
}
