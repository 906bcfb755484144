/** Checkout attempts and what they create: subscriptions and one-time orders. */
import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { customers } from './accounts';
import { coupons, prices, products } from './catalog';
import { paymentProvider, payments } from './payments';

/** `payment`: something is due today (PaymentIntent / PayPal order); `setup`: a trial, only a method is saved (SetupIntent). */
export const checkoutKind = pgEnum('checkout_kind', ['payment', 'setup']);
export const checkoutStatus = pgEnum('checkout_status', ['open', 'completed', 'canceled']);
/** `elements`: paid on our page (Payment Element, PayPal buttons); `hosted`: on Stripe's hosted Checkout page. */
export const checkoutSurface = pgEnum('checkout_surface', ['elements', 'hosted']);

/**
 * One checkout attempt: what the server quoted (never what the browser sent) and the provider object
 * that collects it. While open, one idempotency key (customer, price, quantity, provider, surface and
 * quoted total) has one attempt, so a double click or a retried request gets the same intent back.
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
    /** The tax on the first paid invoice, as quoted; an exclusive tax is included in `total`. */
    tax: bigint('tax', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull(),
    amountDueToday: bigint('amount_due_today', { mode: 'number' }).notNull(),
    /** The coupon the customer entered, and what it took off the first paid invoice (before tax). */
    couponId: uuid('coupon_id').references(() => coupons.id, { onDelete: 'restrict' }),
    discount: bigint('discount', { mode: 'number' }).notNull().default(0),
    /** A subscription's next charge as quoted (its coupon may not cover it); null for a one-time purchase. */
    nextChargeAmount: bigint('next_charge_amount', { mode: 'number' }),
    provider: paymentProvider('provider').notNull(),
    kind: checkoutKind('kind').notNull(),
    surface: checkoutSurface('surface').notNull().default('elements'),
    /** Stripe PaymentIntent, SetupIntent or (hosted) Checkout Session id, or PayPal order id; null until the provider answered. */
    providerIntentId: text('provider_intent_id'),
    /** The payments row of a `payment` checkout. */
    paymentId: uuid('payment_id').references(() => payments.id, { onDelete: 'restrict' }),
    status: checkoutStatus('status').notNull().default('open'),
    /** Customer, price, quantity, provider, surface and the quoted total; unique among open attempts. */
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
    check('checkouts_amounts_nonnegative', sql`${t.subtotal} >= 0 AND ${t.tax} >= 0 AND ${t.total} >= 0 AND ${t.amountDueToday} >= 0 AND ${t.discount} >= 0`),
    // Counting the open attempts that hold a coupon's redemption (limits).
    index('checkouts_open_coupon_idx').on(t.couponId).where(sql`${t.status} = 'open' AND ${t.couponId} IS NOT NULL`),
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
    /** A downgrade waiting for the period end: the price and seats the next renewal switches to. */
    scheduledPriceId: uuid('scheduled_price_id').references(() => prices.id, { onDelete: 'restrict' }),
    scheduledQuantity: integer('scheduled_quantity'),
    /** The "your trial ends soon" email went out (once per trial). */
    trialReminderSentAt: timestamp('trial_reminder_sent_at', { withTimezone: true }),
    /** When it stopped for good (canceled). */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** Since when payments have been failing; the entitlement grace period counts from it. */
    pastDueSince: timestamp('past_due_since', { withTimezone: true }),
    /**
     * Usage rated so far (lib/usage/rating): every event up to this id that occurred before
     * `usageRatedUntil` is on an invoice; later ids (late events) and later occurrences are not yet.
     */
    usageRatedThroughId: bigint('usage_rated_through_id', { mode: 'number' }).notNull().default(0),
    usageRatedUntil: timestamp('usage_rated_until', { withTimezone: true }),
    /** The coupon discounting its invoices while it lasts; null when none or when it has run out. */
    couponId: uuid('coupon_id').references(() => coupons.id, { onDelete: 'restrict' }),
    /** Invoices counted against the coupon's duration so far (the checkout's payment is the first). */
    couponInvoices: integer('coupon_invoices').notNull().default(0),
    /**
     * What the current period's plan charge was discounted (minor units, before tax): a plan change
     * credits unused time at the full price, and this bounds how much of that credit was never paid.
     */
    periodDiscount: bigint('period_discount', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('subscriptions_customer_idx').on(t.customerId),
    // The billing run's question: whose period has ended?
    index('subscriptions_due_idx').on(t.currentPeriodEnd).where(sql`${t.status} IN ('trialing', 'active', 'past_due')`),
    // One current subscription per customer and product, whatever races past the checks before it.
    uniqueIndex('subscriptions_current_product_idx')
      .on(t.customerId, t.productId)
      .where(sql`${t.status} IN ('trialing', 'active', 'past_due', 'paused')`),
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

/**
 * One redemption of a coupon: by a completed checkout, or an admin applying it to a subscription.
 * Redemption limits count these rows (and open checkouts holding the coupon).
 */
export const couponRedemptions = pgTable(
  'coupon_redemptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    couponId: uuid('coupon_id')
      .notNull()
      .references(() => coupons.id, { onDelete: 'restrict' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    /** One redemption per checkout, however often fulfilment runs. */
    checkoutId: uuid('checkout_id')
      .unique()
      .references(() => checkouts.id, { onDelete: 'restrict' }),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id, { onDelete: 'restrict' }),
    /** `checkout`, or the admin user who applied it. */
    redeemedBy: text('redeemed_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('coupon_redemptions_coupon_idx').on(t.couponId, t.customerId),
    // A coupon is applied to a subscription once.
    uniqueIndex('coupon_redemptions_subscription_idx').on(t.couponId, t.subscriptionId).where(sql`${t.subscriptionId} IS NOT NULL`),
  ],
);

export type CouponRedemption = typeof couponRedemptions.$inferSelect;
export type Checkout = typeof checkouts.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type Order = typeof orders.$inferSelect;
