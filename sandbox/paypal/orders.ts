/**
 * Orders v2: create, show, capture, and the buyer's approval. Statuses CREATED → APPROVED → COMPLETED
 * (PAYER_ACTION_REQUIRED when `payment_source.paypal` is sent; VOIDED when an order expires uncaptured).
 * Orders created with a saved PayPal account (`payment_source.paypal.vault_id` or `payment_source.token`)
 * are charged at once, without the buyer ("single-step").
 */
import { invalidRequest, notFound, PaypalApiError, unprocessable } from './errors';
import { formatMinor, paypalFee } from './money';
import type { Services } from './services';
import { SANDBOX_BUYER } from './services';
import type { CaptureRecord, DeclineMode, OrderRecord, PaypalState, Payer, PurchaseUnitRecord, VaultRequest } from './state';
import { paypalId } from './state';
import type { Emit } from './webhooks';
import { createPaymentToken } from './vault';
import { Checker, checkMoneySyntax, isObject, moneyMinor, type Json } from './validate';

/** An order not captured within this time (sandbox clock) is voided. */
export const ORDER_LIFETIME_MS = 3 * 60 * 60 * 1000;

const BREAKDOWN_PLUS = ['item_total', 'shipping', 'handling', 'tax_total', 'insurance'];
const BREAKDOWN_MINUS = ['shipping_discount', 'discount'];

function parsePurchaseUnits(c: Checker, body: Json): Array<{ unit: Json; path: string }> {
  const units = body.purchase_units;
  if (units === undefined || units === null) {
    c.missing('/purchase_units');
    return [];
  }
  if (!Array.isArray(units)) {
    c.invalid('/purchase_units', undefined, 'INVALID_PARAMETER_SYNTAX');
    return [];
  }
  if (units.length < 1) c.invalid('/purchase_units', undefined, 'INVALID_ARRAY_MIN_ITEMS');
  if (units.length > 10) c.invalid('/purchase_units', undefined, 'INVALID_ARRAY_MAX_ITEMS');
  return units.map((unit, i) => ({ unit: isObject(unit) ? unit : {}, path: `/purchase_units/${i}` }));
}

function buildUnits(body: Json): { units: PurchaseUnitRecord[]; source: Json | undefined } {
  const c = new Checker();
  const intent = body.intent;
  if (intent === undefined) c.missing('/intent');
  else if (intent !== 'CAPTURE' && intent !== 'AUTHORIZE') c.invalid('/intent', intent);
  const raw = parsePurchaseUnits(c, body);
  const syntax = raw.map(({ unit, path }) => {
    const amount = checkMoneySyntax(c, unit.amount, `${path}/amount`, true);
    const breakdown = isObject(unit.amount) ? c.object(unit.amount, 'breakdown', `${path}/amount`) : undefined;
    const parts: Array<{ key: string; money: ReturnType<typeof checkMoneySyntax> }> = [];
    if (breakdown) {
      for (const key of [...BREAKDOWN_PLUS, ...BREAKDOWN_MINUS]) {
        if (breakdown[key] !== undefined) parts.push({ key, money: checkMoneySyntax(c, breakdown[key], `${path}/amount/breakdown/${key}`, false) });
      }
    }
    if (raw.length > 1) c.string(unit, 'reference_id', path, { required: true, max: 256 });
    else c.string(unit, 'reference_id', path, { max: 256 });
    const fields = {
      description: c.string(unit, 'description', path, { max: 127 }),
      custom_id: c.string(unit, 'custom_id', path, { max: 127 }),
      invoice_id: c.string(unit, 'invoice_id', path, { max: 127 }),
      soft_descriptor: c.string(unit, 'soft_descriptor', path, { max: 22 }),
    };
    if (unit.items !== undefined && !Array.isArray(unit.items)) c.invalid(`${path}/items`, undefined, 'INVALID_PARAMETER_SYNTAX');
    return { unit, path, amount, parts, fields };
  });
  const source = c.object(body, 'payment_source', '');
  c.object(body, 'application_context', '');
  c.throwIfAny();
  // The sandbox captures only: AUTHORIZE (authorize now, capture later) is not implemented.
  if (intent === 'AUTHORIZE') throw invalidRequest([{ field: '/intent', value: 'AUTHORIZE', location: 'body', issue: 'NOT_SUPPORTED' }]);
  const currencies = new Set(syntax.map((u) => u.amount!.currency_code));
  if (currencies.size > 1) throw unprocessable('MULTI_CURRENCY_ORDER', '/purchase_units/1/amount/currency_code');

  const references = new Set<string>();
  const units = syntax.map(({ unit, path, amount, parts, fields }) => {
    const minor = moneyMinor(amount!, `${path}/amount`);
    if (parts.length > 0) {
      let sum = 0;
      for (const { key, money } of parts) {
        const partMinor = moneyMinor(money!, `${path}/amount/breakdown/${key}`, true);
        if (money!.currency_code !== amount!.currency_code) throw unprocessable('MULTI_CURRENCY_ORDER', `${path}/amount/breakdown/${key}/currency_code`, money!.currency_code);
        sum += BREAKDOWN_MINUS.includes(key) ? -partMinor : partMinor;
      }
      if (sum !== minor) throw unprocessable('AMOUNT_MISMATCH', `${path}/amount/value`, amount!.value);
    }
    const reference = typeof unit.reference_id === 'string' ? unit.reference_id : 'default';
    if (references.has(reference)) throw unprocessable('DUPLICATE_REFERENCE_ID', `${path}/reference_id`, reference);
    references.add(reference);
    const record: PurchaseUnitRecord = {
      reference_id: reference,
      amount: unit.amount as PurchaseUnitRecord['amount'],
      amountMinor: minor,
      currency: amount!.currency_code,
      captureIds: [],
    };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (record as unknown as Json)[k] = v;
    if (Array.isArray(unit.items)) record.items = unit.items;
    return record;
  });
  return { units, source };
}

interface SourceInfo {
  paypal?: OrderRecord['paypalSource'];
  vaultId?: string;
}

function parseSource(source: Json | undefined, state: PaypalState): SourceInfo {
  if (!source) return {};
  const kinds = Object.keys(source);
  if (kinds.length !== 1 || (kinds[0] !== 'paypal' && kinds[0] !== 'token')) {
    throw unprocessable('PAYMENT_SOURCE_CANNOT_BE_USED', `/payment_source/${kinds[0] ?? ''}`);
  }
  const c = new Checker();
  if (kinds[0] === 'token') {
    const token = c.object(source, 'token', '/payment_source', true);
    const id = token ? c.string(token, 'id', '/payment_source/token', { required: true, max: 255 }) : undefined;
    const type = token ? c.string(token, 'type', '/payment_source/token', { required: true }) : undefined;
    if (type !== undefined && type !== 'BILLING_AGREEMENT') c.invalid('/payment_source/token/type', type);
    c.throwIfAny();
    const saved = state.paymentTokens[id!];
    if (!saved || saved.deleted) throw unprocessable('PAYMENT_SOURCE_CANNOT_BE_USED', '/payment_source/token/id', id);
    return { vaultId: id };
  }
  const paypal = c.object(source, 'paypal', '/payment_source', true) ?? {};
  const vaultId = c.string(paypal, 'vault_id', '/payment_source/paypal', { max: 36 });
  const experience = c.object(paypal, 'experience_context', '/payment_source/paypal');
  const attributes = c.object(paypal, 'attributes', '/payment_source/paypal');
  const vault = attributes ? c.object(attributes, 'vault', '/payment_source/paypal/attributes') : undefined;
  const customer = attributes ? c.object(attributes, 'customer', '/payment_source/paypal/attributes') : undefined;
  const customerId = customer ? c.string(customer, 'id', '/payment_source/paypal/attributes/customer', { max: 22 }) : undefined;
  let vaultRequest: VaultRequest | undefined;
  if (vault) {
    const store = c.string(vault, 'store_in_vault', '/payment_source/paypal/attributes/vault', { required: true });
    if (store !== undefined && store !== 'ON_SUCCESS') c.invalid('/payment_source/paypal/attributes/vault/store_in_vault', store);
    const usage = c.string(vault, 'usage_type', '/payment_source/paypal/attributes/vault', { required: true });
    if (usage !== undefined && usage !== 'MERCHANT' && usage !== 'PLATFORM') c.invalid('/payment_source/paypal/attributes/vault/usage_type', usage);
    const customerType = c.string(vault, 'customer_type', '/payment_source/paypal/attributes/vault');
    if (customerType !== undefined && customerType !== 'CONSUMER' && customerType !== 'BUSINESS') {
      c.invalid('/payment_source/paypal/attributes/vault/customer_type', customerType);
    }
    vaultRequest = { storeInVault: store ?? 'ON_SUCCESS', usageType: usage ?? 'MERCHANT', customerType, customerId };
  }
  c.throwIfAny();
  if (vaultId !== undefined) {
    if (vaultRequest) throw unprocessable('INCOMPATIBLE_PARAMETER_VALUE', '/payment_source/paypal/attributes/vault');
    const saved = state.paymentTokens[vaultId];
    if (!saved || saved.deleted) throw unprocessable('PAYMENT_SOURCE_CANNOT_BE_USED', '/payment_source/paypal/vault_id', vaultId);
    return { vaultId };
  }
  return { paypal: { experienceContext: experience, vault: vaultRequest } };
}

/** Voids an order that outlived its approval window. */
function expire(svc: Services, o: OrderRecord): void {
  if (o.status !== 'COMPLETED' && o.status !== 'VOIDED' && svc.nowMs() - o.createdAt > ORDER_LIFETIME_MS) {
    o.status = 'VOIDED';
    o.updateTime = svc.now();
  }
}

export function findOrder(svc: Services, draft: PaypalState, id: string): OrderRecord {
  const o = draft.orders[id];
  if (!o) throw notFound('order_id', id);
  expire(svc, o);
  return o;
}

/** Captures every purchase unit of an approved (or saved-token) order; returns the captures. */
function captureOrder(svc: Services, draft: PaypalState, o: OrderRecord, decline: DeclineMode | undefined, emit: Emit): CaptureRecord[] {
  const now = svc.now();
  const captures = o.purchaseUnits.map((u, unitIndex) => {
    const capture: CaptureRecord = {
      id: paypalId(17),
      orderId: o.id,
      unitIndex,
      amountMinor: u.amountMinor,
      currency: u.currency,
      feeMinor: decline ? 0 : paypalFee(u.amountMinor, u.currency),
      status: decline ? 'DECLINED' : 'COMPLETED',
      refundedMinor: 0,
      reversedMinor: 0,
      refundIds: [],
      disputeIds: [],
      createTime: now,
      updateTime: now,
      ...(u.custom_id ? { custom_id: u.custom_id } : {}),
      ...(u.invoice_id ? { invoice_id: u.invoice_id } : {}),
    };
    draft.captures[capture.id] = capture;
    u.captureIds.push(capture.id);
    return capture;
  });
  o.status = 'COMPLETED';
  o.updateTime = now;
  if (!decline && o.paypalSource?.vault && o.payer) {
    const token = createPaymentToken(svc, draft, {
      customerId: o.paypalSource.vault.customerId,
      payer: o.payer,
      usageType: o.paypalSource.vault.usageType,
    }, emit);
    o.vaultedTokenId = token.id;
    o.customerId = token.customerId;
  }
  for (const capture of captures) {
    const value = `${formatMinor(capture.amountMinor, capture.currency)} ${capture.currency}`;
    if (decline) emit('PAYMENT.CAPTURE.DENIED', svc.render.captureResource(capture), `A payment capture for $ ${value} was denied`);
    else emit('PAYMENT.CAPTURE.COMPLETED', svc.render.captureResource(capture), `Payment completed for $ ${value}`);
  }
  return captures;
}

/** Takes the next queued decline (from `decline_next_capture`) in its own committed step. */
function takeDecline(svc: Services, o: OrderRecord | undefined): DeclineMode | undefined {
  if (o?.declineOnCapture) return o.declineOnCapture;
  if (svc.store.state.declineNext.length === 0) return undefined;
  return svc.store.transaction((s) => s.declineNext.shift());
}

export function createOrder(svc: Services, body: Json, clientId: string, requestId: string | undefined): OrderRecord {
  const { units, source } = buildUnits(body);
  const info = parseSource(source, svc.store.state);
  if (info.vaultId && !requestId) {
    throw invalidRequest([{ field: 'PayPal-Request-Id', issue: 'MISSING_REQUIRED_PARAMETER' }]); // Orders' error_details allow no 'header' location
  }
  const decline = info.vaultId ? takeDecline(svc, undefined) : undefined;
  if (decline === 'INSTRUMENT_DECLINED') throw unprocessable('INSTRUMENT_DECLINED', '/payment_source/paypal/vault_id', info.vaultId);
  return svc.hooks.mutate((draft, emit) => {
    const now = svc.now();
    const order: OrderRecord = {
      id: paypalId(17),
      intent: 'CAPTURE',
      status: info.paypal ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      createTime: now,
      createdAt: svc.nowMs(),
      updateTime: now,
      clientId,
      purchaseUnits: units,
      ...(info.paypal ? { paypalSource: info.paypal } : {}),
      // The deprecated application_context (return_url, cancel_url, brand_name) still works at PayPal.
      ...(isObject(body.application_context) ? { applicationContext: body.application_context } : {}),
    };
    draft.orders[order.id] = order;
    if (info.vaultId) {
      const token = draft.paymentTokens[info.vaultId];
      order.vaultId = info.vaultId;
      order.payer = token.payer;
      order.customerId = token.customerId;
      captureOrder(svc, draft, order, decline, emit);
    }
    return order;
  });
}

export function captureOrderById(svc: Services, id: string): OrderRecord {
  const current = svc.store.state.orders[id];
  if (!current) throw notFound('order_id', id);
  // Validate against a copy first so a rejected capture changes nothing.
  const probe = structuredClone(current);
  expire(svc, probe);
  if (probe.status === 'COMPLETED') throw unprocessable('ORDER_ALREADY_CAPTURED', undefined, undefined);
  if (probe.status !== 'APPROVED') throw unprocessable('ORDER_NOT_APPROVED', undefined, undefined);
  const decline = takeDecline(svc, probe);
  if (decline === 'INSTRUMENT_DECLINED') {
    if (probe.declineOnCapture) {
      svc.store.transaction((s) => {
        delete s.orders[id].declineOnCapture;
      });
    }
    throw unprocessable('INSTRUMENT_DECLINED');
  }
  return svc.hooks.mutate((draft, emit) => {
    const o = findOrder(svc, draft, id);
    captureOrder(svc, draft, o, decline, emit);
    return o;
  });
}

export interface ApproveOptions {
  /** How the capture of this order will fail (the buyer's "decline" choice). */
  decline?: DeclineMode;
  payer?: Partial<Payer>;
}

/** The buyer approves in the approval window (or through the `approve_order` control action). */
export function approveOrder(svc: Services, id: string, options: ApproveOptions = {}): OrderRecord {
  return svc.hooks.mutate((draft, emit) => {
    const o = findOrder(svc, draft, id);
    if (o.status === 'APPROVED') return o;
    if (o.status !== 'CREATED' && o.status !== 'PAYER_ACTION_REQUIRED') {
      throw new PaypalApiError('UNPROCESSABLE_ENTITY', [{ issue: o.status === 'COMPLETED' ? 'ORDER_ALREADY_CAPTURED' : 'ORDER_NOT_APPROVED' }]);
    }
    o.status = 'APPROVED';
    o.updateTime = svc.now();
    o.payer = { ...SANDBOX_BUYER, ...options.payer };
    if (options.decline) o.declineOnCapture = options.decline;
    emit('CHECKOUT.ORDER.APPROVED', svc.render.order(o, draft), 'An order has been approved by buyer');
    return o;
  });
}

export function voidOrder(svc: Services, id: string): OrderRecord {
  return svc.store.transaction((draft) => {
    const o = findOrder(svc, draft, id);
    if (o.status === 'COMPLETED') throw unprocessable('ORDER_ALREADY_CAPTURED');
    o.status = 'VOIDED';
    o.updateTime = svc.now();
    return o;
  });
}

export function getOrder(svc: Services, id: string): OrderRecord {
  const o = svc.store.state.orders[id];
  if (!o) throw notFound('order_id', id);
  const probe = structuredClone(o);
  expire(svc, probe);
  if (probe.status !== o.status) svc.store.transaction((s) => expire(svc, s.orders[id]));
  return svc.store.state.orders[id];
}
