/** Sub-objects several resources share: addresses, billing details, and finding objects by id. */
import { noSuchResource } from './errors';
import type { StripeContext } from './context';
import type { Params } from './params';
import type { CollectionName, StripeObject } from './state';

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

const ADDRESS_FIELDS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const;

export function readAddress(p: Params | undefined, current: Address | null = null): Address | null {
  if (!p) return current;
  p.only(...ADDRESS_FIELDS);
  const base: Address = current ?? { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };
  const next = { ...base };
  for (const field of ADDRESS_FIELDS) {
    const v = p.string(field, { maxLength: 5000 });
    if (v !== undefined) next[field] = v === '' ? null : v;
  }
  return next;
}

export interface BillingDetails {
  address: Address;
  email: string | null;
  name: string | null;
  phone: string | null;
}

export function emptyBillingDetails(): BillingDetails {
  return {
    address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
    email: null,
    name: null,
    phone: null,
  };
}

export function readBillingDetails(p: Params | undefined, current: BillingDetails = emptyBillingDetails()): BillingDetails {
  if (!p) return current;
  p.only('address', 'email', 'name', 'phone');
  const next = structuredClone(current);
  next.address = readAddress(p.object('address'), next.address) ?? next.address;
  for (const field of ['email', 'name', 'phone'] as const) {
    const v = p.string(field, { maxLength: 5000 });
    if (v !== undefined) next[field] = v === '' ? null : v;
  }
  return next;
}

const KIND: Record<CollectionName, string> = {
  customers: 'customer',
  payment_methods: 'PaymentMethod',
  payment_intents: 'payment_intent',
  setup_intents: 'setupintent',
  charges: 'charge',
  refunds: 'refund',
  disputes: 'dispute',
  events: 'event',
  checkout_sessions: 'checkout.session',
  webhook_endpoints: 'webhook_endpoint',
};

/** The object, or Stripe's 404 "No such ...". */
export function find(ctx: StripeContext, collection: CollectionName, id: string, param = 'id'): StripeObject {
  const object = ctx.state[collection][id];
  if (!object) throw noSuchResource(KIND[collection], id, param);
  return object;
}
