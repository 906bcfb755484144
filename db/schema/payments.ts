/** Payments, refunds, disputes and saved payment methods: the provider is the truth of their state. */
import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { customers } from './accounts';

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

export type Payment = typeof payments.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type Dispute = typeof disputes.$inferSelect;
export type SavedPaymentMethod = typeof paymentMethods.$inferSelect;
