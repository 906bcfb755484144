/**
 * The one drizzle schema, for PGlite and PostgreSQL alike. Money is an integer in the currency's
 * minor unit beside an ISO 4217 code; every timestamp is timestamptz (UTC).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

// ---------------------------------------------------------------- auth (Auth.js drizzle adapter shape)

export const userRole = pgEnum('user_role', ['customer', 'support', 'admin']);

export const users = pgTable('users', {
  id: text('id').primaryKey().$defaultFn(() => crypto.randomUUID()),
  name: text('name'),
  email: text('email').notNull().unique(),
  emailVerified: timestamp('email_verified', { withTimezone: true, mode: 'date' }),
  image: text('image'),
  role: userRole('role').notNull().default('customer'),
  /** argon2id PHC string; null for accounts that only sign in through OAuth. */
  passwordHash: text('password_hash'),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const accounts = pgTable(
  'accounts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').$type<'oauth' | 'oidc' | 'email' | 'webauthn'>().notNull(),
    provider: text('provider').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    refresh_token: text('refresh_token'),
    access_token: text('access_token'),
    expires_at: integer('expires_at'),
    token_type: text('token_type'),
    scope: text('scope'),
    id_token: text('id_token'),
    session_state: text('session_state'),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

export const sessions = pgTable('sessions', {
  sessionToken: text('session_token').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expires: timestamp('expires', { withTimezone: true, mode: 'date' }).notNull(),
});

export const verificationTokens = pgTable(
  'verification_tokens',
  {
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expires: timestamp('expires', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the token sent by email; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
);

/** Failed sign-ins, counted per email and per client address for rate limiting across processes. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('sign_in_failures_email_idx').on(t.email, t.createdAt),
    index('sign_in_failures_ip_idx').on(t.ip, t.createdAt),
  ],
);

// ---------------------------------------------------------------- customers

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: text('user_id')
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: 'restrict' }),
  billingName: text('billing_name'),
  email: text('email').notNull(),
  addressLine1: text('address_line1'),
  addressLine2: text('address_line2'),
  city: text('city'),
  region: text('region'),
  postalCode: text('postal_code'),
  /** ISO 3166-1 alpha-2. */
  country: char('country', { length: 2 }),
  /** VAT / GST / sales-tax registration number as the customer gave it. */
  taxId: text('tax_id'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- catalog

export const productKind = pgEnum('product_kind', ['plan', 'one_time', 'add_on']);

export const products = pgTable('products', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Stable handle used by code, seeds and URLs, e.g. `pro`. */
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  kind: productKind('kind').notNull(),
  /** Priced per seat: the quantity is the number of seats. */
  perSeat: boolean('per_seat').notNull().default(false),
  /** Highest quantity a customer may buy (seats for per-seat plans). */
  maxQuantity: integer('max_quantity').notNull().default(1),
  trialDays: integer('trial_days').notNull().default(0),
  features: jsonb('features').$type<string[]>().notNull().default([]),
  sortOrder: integer('sort_order').notNull().default(0),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const priceType = pgEnum('price_type', ['recurring', 'one_time']);
export const billingInterval = pgEnum('billing_interval', ['week', 'month', 'quarter', 'year']);
export const usageType = pgEnum('usage_type', ['licensed', 'metered']);
export const pricingModel = pgEnum('pricing_model', ['flat', 'per_unit', 'package', 'graduated', 'volume']);
export const taxBehavior = pgEnum('tax_behavior', ['exclusive', 'inclusive']);

export interface PriceTier {
  /** Inclusive upper bound of the tier; null for the last tier. */
  upTo: number | null;
  unitAmount: number;
  flatAmount: number;
}

export const prices = pgTable(
  'prices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    /** Stable handle, e.g. `pro_month_usd`. */
    lookupKey: text('lookup_key').notNull().unique(),
    type: priceType('type').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    /** Minor units: per unit (per seat, per package) or the flat amount. */
    unitAmount: bigint('unit_amount', { mode: 'number' }).notNull(),
    interval: billingInterval('interval'),
    intervalCount: integer('interval_count'),
    usageType: usageType('usage_type').notNull().default('licensed'),
    pricingModel: pricingModel('pricing_model').notNull().default('per_unit'),
    /** Units per package for the `package` model (e.g. 1000 API calls). */
    packageSize: integer('package_size'),
    tiers: jsonb('tiers').$type<PriceTier[]>(),
    taxBehavior: taxBehavior('tax_behavior').notNull().default('exclusive'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('prices_product_idx').on(t.productId),
    check('prices_amount_nonnegative', sql`${t.unitAmount} >= 0`),
    check('prices_currency_upper', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      'prices_interval_matches_type',
      sql`(${t.type} = 'recurring' AND ${t.interval} IS NOT NULL AND ${t.intervalCount} >= 1)
        OR (${t.type} = 'one_time' AND ${t.interval} IS NULL AND ${t.intervalCount} IS NULL)`,
    ),
    check('prices_package_size', sql`${t.pricingModel} <> 'package' OR ${t.packageSize} >= 1`),
  ],
);

// ---------------------------------------------------------------- audit log

export const actorType = pgEnum('actor_type', ['user', 'system', 'provider']);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorType: actorType('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    metadata: jsonb('metadata'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId), index('audit_log_created_idx').on(t.createdAt)],
);

// ---------------------------------------------------------------- email outbox

export const emailStatus = pgEnum('email_status', ['queued', 'sent', 'failed']);

export const outboxEmails = pgTable(
  'outbox_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    /** Template that produced it, e.g. `password_reset`. */
    template: text('template').notNull(),
    status: emailStatus('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** `smtp` or `outbox` (sandbox: kept in the app, readable on the admin Outbox page). */
    transport: text('transport'),
    messageId: text('message_id'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_emails_created_idx').on(t.createdAt), uniqueIndex('outbox_emails_message_id_idx').on(t.messageId)],
);

export type User = typeof users.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Price = typeof prices.$inferSelect;
export type OutboxEmail = typeof outboxEmails.$inferSelect;
export type AuditEntry = typeof auditLog.$inferInsert;

// ---------------------------------------------------------------- payments (the provider is the truth of their state)

export const paymentProvider = pgEnum('payment_provider', ['stripe', 'paypal']);
/**
 * A payment attempt's state, normalized across providers. `failed` is an attempt that was declined
 * and may be retried with another method; `succeeded` and `canceled` are final.
 */
export const paymentStatus = pgEnum('payment_status', ['pending', 'requires_action', 'processing', 'succeeded', 'failed', 'canceled']);

export type PaymentMethodSummary =
  | { type: 'card'; brand: string; last4: string; expMonth: number; expYear: number }
  | { type: 'paypal'; email: string | null };

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'restrict' }),
    provider: paymentProvider('provider').notNull(),
    /** Stripe PaymentIntent id or PayPal order id. */
    providerPaymentId: text('provider_payment_id').notNull(),
    /** Stripe charge id or PayPal capture id, once there is one. */
    providerChargeId: text('provider_charge_id'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: paymentStatus('status').notNull().default('pending'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    paymentMethod: jsonb('payment_method').$type<PaymentMethodSummary>(),
    description: text('description'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('payments_provider_payment_idx').on(t.provider, t.providerPaymentId),
    index('payments_customer_idx').on(t.customerId),
    index('payments_created_idx').on(t.createdAt),
    check('payments_amount_nonnegative', sql`${t.amount} >= 0`),
  ],
);

export const refundStatus = pgEnum('refund_status', ['pending', 'succeeded', 'failed', 'canceled']);

export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    provider: paymentProvider('provider').notNull(),
    providerRefundId: text('provider_refund_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: refundStatus('status').notNull(),
    reason: text('reason'),
    failureReason: text('failure_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('refunds_provider_refund_idx').on(t.provider, t.providerRefundId),
    index('refunds_payment_idx').on(t.paymentId),
    check('refunds_amount_positive', sql`${t.amount} > 0`),
  ],
);

export const disputeStatus = pgEnum('dispute_status', ['needs_response', 'under_review', 'won', 'lost']);

export const disputes = pgTable(
  'disputes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    provider: paymentProvider('provider').notNull(),
    providerDisputeId: text('provider_dispute_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: disputeStatus('status').notNull(),
    reason: text('reason'),
    evidenceDueBy: timestamp('evidence_due_by', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('disputes_provider_dispute_idx').on(t.provider, t.providerDisputeId), index('disputes_payment_idx').on(t.paymentId)],
);

/** A customer's identity at a provider (Stripe customer id, PayPal vault customer id). */
export const providerCustomers = pgTable(
  'provider_customers',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    provider: paymentProvider('provider').notNull(),
    providerCustomerId: text('provider_customer_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.provider] }), uniqueIndex('provider_customers_provider_id_idx').on(t.provider, t.providerCustomerId)],
);

/** Saved payment methods (tokens held by the provider; only a display summary here). */
export const paymentMethods = pgTable(
  'payment_methods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    provider: paymentProvider('provider').notNull(),
    /** Stripe PaymentMethod id or PayPal vault payment token id. */
    providerPaymentMethodId: text('provider_payment_method_id').notNull(),
    summary: jsonb('summary').$type<PaymentMethodSummary>().notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('payment_methods_provider_id_idx').on(t.provider, t.providerPaymentMethodId), index('payment_methods_customer_idx').on(t.customerId)],
);

// ---------------------------------------------------------------- inbound webhooks (store first, process later)

export const webhookEventStatus = pgEnum('webhook_event_status', ['received', 'processing', 'processed', 'ignored', 'failed', 'dead']);

export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: paymentProvider('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    status: webhookEventStatus('status').notNull(),
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** What processing did, e.g. `payment 3f2… succeeded` or `no local payment`. */
    outcome: text('outcome'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('webhook_events_provider_event_idx').on(t.provider, t.eventId),
    index('webhook_events_status_idx').on(t.status, t.receivedAt),
    index('webhook_events_type_idx').on(t.type),
  ],
);

/** Requests refused before anything was stored, counted per provider and reason (bodies are never kept). */
export const webhookRejections = pgTable(
  'webhook_rejections',
  {
    provider: paymentProvider('provider').notNull(),
    reason: text('reason').notNull(),
    count: bigint('count', { mode: 'number' }).notNull().default(0),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.reason] })],
);

export type Payment = typeof payments.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type Dispute = typeof disputes.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type SavedPaymentMethod = typeof paymentMethods.$inferSelect;

// ---------------------------------------------------------------- checkout, subscriptions, orders

/** `payment`: something is due today (PaymentIntent / PayPal order); `setup`: a trial, only a method is saved (SetupIntent). */
export const checkoutKind = pgEnum('checkout_kind', ['payment', 'setup']);
export const checkoutStatus = pgEnum('checkout_status', ['open', 'completed', 'canceled']);

/**
 * One checkout attempt: what the server quoted (never what the browser sent) and the provider object
 * that collects it. While open, (customer, price, quantity, provider) has one attempt, so a double
 * click or a retried request gets the same intent back.
 */
export const checkouts = pgTable(
  'checkouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    priceId: uuid('price_id')
      .notNull()
      .references(() => prices.id, { onDelete: 'restrict' }),
    quantity: integer('quantity').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
    /** 0 until the tax module (Billing engine II) exists. */
    tax: bigint('tax', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull(),
    amountDueToday: bigint('amount_due_today', { mode: 'number' }).notNull(),
    provider: paymentProvider('provider').notNull(),
    kind: checkoutKind('kind').notNull(),
    /** Stripe PaymentIntent or SetupIntent id, or PayPal order id; null until the provider answered. */
    providerIntentId: text('provider_intent_id'),
    /** The payments row of a `payment` checkout. */
    paymentId: uuid('payment_id').references(() => payments.id, { onDelete: 'restrict' }),
    status: checkoutStatus('status').notNull().default('open'),
    /** `customer:price:quantity:provider`; unique among open attempts. */
    idempotencyKey: text('idempotency_key').notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('checkouts_open_idempotency_idx').on(t.idempotencyKey).where(sql`${t.status} = 'open'`),
    uniqueIndex('checkouts_provider_intent_idx').on(t.provider, t.providerIntentId),
    index('checkouts_customer_idx').on(t.customerId),
    check('checkouts_quantity_positive', sql`${t.quantity} >= 1`),
    check('checkouts_amounts_nonnegative', sql`${t.subtotal} >= 0 AND ${t.tax} >= 0 AND ${t.total} >= 0 AND ${t.amountDueToday} >= 0`),
    check('checkouts_kind_matches_amount', sql`(${t.kind} = 'setup') = (${t.amountDueToday} = 0)`),
  ],
);

export const subscriptionStatus = pgEnum('subscription_status', ['trialing', 'active', 'past_due', 'paused', 'canceled', 'unpaid']);

/** A customer's subscription to a plan (the Billing engine issue extends it: items, invoices, dunning). */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    priceId: uuid('price_id')
      .notNull()
      .references(() => prices.id, { onDelete: 'restrict' }),
    quantity: integer('quantity').notNull(),
    status: subscriptionStatus('status').notNull(),
    /** The rail renewals are charged on. */
    provider: paymentProvider('provider').notNull(),
    currentPeriodStart: timestamp('current_period_start', { withTimezone: true }).notNull(),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }).notNull(),
    trialEnd: timestamp('trial_end', { withTimezone: true }),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    /** Every period boundary is computed from this instant (lib/billing periods). */
    billingCycleAnchor: timestamp('billing_cycle_anchor', { withTimezone: true }).notNull(),
    /** The checkout that created it: one subscription per checkout, however often fulfilment runs. */
    checkoutId: uuid('checkout_id')
      .unique()
      .references(() => checkouts.id, { onDelete: 'restrict' }),
    canceledAt: timestamp('canceled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('subscriptions_customer_idx').on(t.customerId),
    check('subscriptions_quantity_positive', sql`${t.quantity} >= 1`),
    check('subscriptions_period_order', sql`${t.currentPeriodEnd} > ${t.currentPeriodStart}`),
  ],
);

export const orderStatus = pgEnum('order_status', ['paid', 'refunded']);

/** A one-time purchase, paid in full at checkout. */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    priceId: uuid('price_id')
      .notNull()
      .references(() => prices.id, { onDelete: 'restrict' }),
    quantity: integer('quantity').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: orderStatus('status').notNull().default('paid'),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    /** One order per checkout. */
    checkoutId: uuid('checkout_id')
      .notNull()
      .unique()
      .references(() => checkouts.id, { onDelete: 'restrict' }),
    createdAt: createdAt(),
  },
  (t) => [index('orders_customer_idx').on(t.customerId), check('orders_amount_nonnegative', sql`${t.amount} >= 0`)],
);

export type Checkout = typeof checkouts.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type Order = typeof orders.$inferSelect;
