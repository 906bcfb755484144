/** Customers: create, retrieve, update, delete, list; and a customer's payment methods. */
import { emit, now, update, type StripeContext } from '../context';
import { invalidRequest, noSuchResource } from '../errors';
import { newId, randomBase62 } from '../ids';
import { LIST_PARAMS, createdFilter, newestFirst, paginate } from '../list';
import { nullable, type Params } from '../params';
import type { Route } from '../router';
import { find, readAddress } from '../shared';
import type { StripeObject } from '../state';
import { attachPaymentMethod, resolvePaymentMethod } from './payment-methods';

const WRITABLE = ['address', 'description', 'email', 'metadata', 'name', 'phone', 'preferred_locales', 'invoice_settings', 'expand'];

/** The customer, or 404 (also for deleted customers, which Stripe answers with `deleted: true` on retrieve). */
export function findCustomer(ctx: StripeContext, id: string, param = 'customer'): StripeObject {
  const customer = ctx.state.customers[id];
  if (!customer || customer.deleted) throw noSuchResource('customer', id, param);
  return customer;
}

function defaultPaymentMethod(ctx: StripeContext, p: Params, customerId: string): string | null | undefined {
  const settings = p.object('invoice_settings');
  if (!settings) return undefined;
  settings.only('default_payment_method', 'custom_fields', 'footer');
  const pmId = settings.string('default_payment_method');
  if (pmId === undefined) return undefined;
  if (pmId === '') return null;
  const pm = ctx.state.payment_methods[pmId];
  if (!pm) throw noSuchResource('PaymentMethod', pmId, 'invoice_settings[default_payment_method]');
  if (pm.customer !== customerId)
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
      'invoice_settings[default_payment_method]',
      'resource_missing',
    );
  return pmId;
}

function applyWritable(ctx: StripeContext, p: Params, customer: StripeObject): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of ['description', 'email', 'name', 'phone'] as const) {
    const v = p.string(field, { maxLength: field === 'email' ? 512 : 5000 });
    if (v !== undefined) changes[field] = nullable(v, customer[field] as string | null);
  }
  if (p.has('address')) changes.address = p.raw.address === '' ? null : readAddress(p.object('address'), customer.address as never);
  if (p.has('metadata')) changes.metadata = p.metadataUpdate(customer.metadata as Record<string, string>);
  if (p.has('preferred_locales')) changes.preferred_locales = p.strings('preferred_locales');
  const dpm = defaultPaymentMethod(ctx, p, customer.id);
  if (dpm !== undefined)
    changes.invoice_settings = { ...(customer.invoice_settings as object), default_payment_method: dpm };
  return changes;
}

function create(ctx: StripeContext, p: Params): StripeObject {
  p.only(...WRITABLE, 'payment_method');
  const customer: StripeObject = {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: now(ctx),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomBase62(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  // Validate before anything is stored or attached.
  const pmId = p.string('payment_method');
  const pm = pmId ? resolvePaymentMethod(ctx, pmId, 'payment_method') : undefined;
  ctx.state.customers[customer.id] = customer;
  // Attach first, so `invoice_settings[default_payment_method]` may name the PaymentMethod being attached.
  if (pm) attachPaymentMethod(ctx, pm, customer.id);
  Object.assign(customer, applyWritable(ctx, p, customer));
  emit(ctx, 'customer.created', customer);
  return customer;
}

function retrieve(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  const customer = find(ctx, 'customers', path.customer);
  if (customer.deleted) return { id: customer.id, object: 'customer', deleted: true } as unknown as StripeObject;
  return customer;
}

function modify(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only(...WRITABLE);
  const customer = findCustomer(ctx, path.customer, 'id');
  const previous = update(customer, applyWritable(ctx, p, customer));
  if (Object.keys(previous).length > 0) emit(ctx, 'customer.updated', customer, previous);
  return customer;
}

function remove(ctx: StripeContext, p: Params, path: Record<string, string>): unknown {
  p.only();
  const customer = findCustomer(ctx, path.customer, 'id');
  for (const pm of Object.values(ctx.state.payment_methods)) {
    if (pm.customer === customer.id) {
      pm.customer = null;
      emit(ctx, 'payment_method.detached', pm, { customer: customer.id });
    }
  }
  emit(ctx, 'customer.deleted', customer);
  customer.deleted = true;
  return { id: customer.id, object: 'customer', deleted: true };
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'email', 'created', 'test_clock');
  const email = p.string('email');
  const inRange = createdFilter(p);
  const all = newestFirst(ctx.state.customers).filter(
    (c) => !c.deleted && inRange(c) && (email === undefined || c.email === email),
  );
  return paginate(all, p, '/v1/customers');
}

function listPaymentMethods(ctx: StripeContext, p: Params, path: Record<string, string>): unknown {
  p.only(...LIST_PARAMS, 'type', 'allow_redisplay');
  const customer = findCustomer(ctx, path.customer, 'customer');
  const type = p.string('type');
  const all = newestFirst(ctx.state.payment_methods).filter(
    (pm) => pm.customer === customer.id && (type === undefined || pm.type === type),
  );
  return paginate(all, p, `/v1/customers/${customer.id}/payment_methods`);
}

function retrievePaymentMethod(ctx: StripeContext, p: Params, path: Record<string, string>): unknown {
  p.only('expand');
  const customer = findCustomer(ctx, path.customer, 'customer');
  const pm = ctx.state.payment_methods[path.payment_method];
  if (!pm || pm.customer !== customer.id) throw noSuchResource('PaymentMethod', path.payment_method, 'payment_method');
  return pm;
}

export const customerRoutes: Route[] = [
  { method: 'POST', path: '/v1/customers', handler: create },
  { method: 'GET', path: '/v1/customers', handler: list },
  { method: 'GET', path: '/v1/customers/:customer', handler: retrieve },
  { method: 'POST', path: '/v1/customers/:customer', handler: modify },
  { method: 'DELETE', path: '/v1/customers/:customer', handler: remove },
  { method: 'GET', path: '/v1/customers/:customer/payment_methods', handler: listPaymentMethods },
  { method: 'GET', path: '/v1/customers/:customer/payment_methods/:payment_method', handler: retrievePaymentMethod },
];
