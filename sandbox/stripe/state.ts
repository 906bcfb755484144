/** The Stripe half's state: API-shaped objects by collection plus what only the provider knows. */
import type { CardBehaviour } from './cards';

/** Every Stripe object: an id, an `object` tag, and its fields. */
export interface StripeObject {
  id: string;
  object: string;
  created: number;
  [field: string]: unknown;
}

export interface IdempotencyEntry {
  method: string;
  path: string;
  paramsHash: string;
  status: number;
  body: string;
  createdAt: number;
}

/** What the issuer "knows" about a test card: its behaviour tag, never the number. */
export interface CardRecord {
  behaviour: CardBehaviour;
  /** Authenticated and saved for off-session use (SetupIntent, or a PI with setup_future_usage). */
  setUpForOffSession: boolean;
}

/** Per-intent authentication progress (3-D Secure). */
export interface AuthenticationRecord {
  status: 'pending' | 'succeeded' | 'failed';
  paymentMethod: string;
  offSessionSetup: boolean;
}

export const COLLECTIONS = [
  'customers',
  'payment_methods',
  'payment_intents',
  'setup_intents',
  'charges',
  'refunds',
  'disputes',
  'events',
  'checkout_sessions',
  'webhook_endpoints',
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export type StripeState = Record<CollectionName, Record<string, StripeObject>> & {
  version: 1;
  idempotency: Record<string, IdempotencyEntry>;
  cards: Record<string, CardRecord>;
  authentications: Record<string, AuthenticationRecord>;
  /** Webhook endpoint secrets (returned once, on create). */
  endpointSecrets: Record<string, string>;
  /** Checkout Session line items (listed through /v1/checkout/sessions/:id/line_items). */
  lineItems: Record<string, StripeObject[]>;
  /** Checkout Sessions' payment_intent_data / setup_intent_data (form-encoded), used at payment time. */
  checkoutIntentData: Record<string, string>;
  /** Refunds of a `refund_fails_later` card, and when (sandbox seconds) each turns failed. */
  refundFailures: Record<string, number>;
};

export function emptyState(): StripeState {
  const collections = Object.fromEntries(COLLECTIONS.map((c) => [c, {}])) as Record<CollectionName, Record<string, StripeObject>>;
  return { version: 1, ...collections, idempotency: {}, cards: {}, authentications: {}, endpointSecrets: {}, lineItems: {}, checkoutIntentData: {}, refundFailures: {} };
}

/** Which collection an id belongs to, by Stripe's prefixes. */
export const PREFIX_TO_COLLECTION: Record<string, CollectionName> = {
  cus: 'customers',
  pm: 'payment_methods',
  pi: 'payment_intents',
  seti: 'setup_intents',
  ch: 'charges',
  py: 'charges',
  re: 'refunds',
  pyr: 'refunds',
  dp: 'disputes',
  du: 'disputes',
  evt: 'events',
  cs: 'checkout_sessions',
  we: 'webhook_endpoints',
};

export function collectionOf(id: string): CollectionName | undefined {
  const m = /^([a-z]+)_(?:test_)?/.exec(id);
  return m ? PREFIX_TO_COLLECTION[m[1]] : undefined;
}

export function lookup(state: StripeState, id: string): StripeObject | undefined {
  const collection = collectionOf(id);
  return collection ? state[collection][id] : undefined;
}
