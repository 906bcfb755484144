/**
 * Invoices (the app owns them: Stripe and PayPal only move the money), their lines, gapless numbers,
 * and the customer's credit balance as a ledger.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { customers } from './accounts';
import { prices } from './catalog';
import { subscriptions } from './checkout';
import { payments } from './payments';

export const invoiceStatus = pgEnum('invoice_status', ['draft', 'open', 'paid', 'void', 'uncollectible']);
/** `subscription_end`: the usage of a subscription's last period, billed when it ends. */
export const invoiceBillingReason = pgEnum('invoice_billing_reason', ['subscription_create', 'subscription_cycle', 'subscription_update', 'manual', 'subscription_end']);
export const invoiceLineKind = pgEnum('invoice_line_kind', ['subscription', 'proration', 'one_time', 'discount', 'tax', 'usage']);

/** The buyer as the invoice shows them, frozen at finalization. */
export interface InvoiceCustomerSnapshot {
  name: string | null;
  email: string;
  country: string | null;
  region: string | null;
  postalCode: string | null;
  taxId: string | null;
}

export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Gapless per prefix (INV-2026-000123), given at finalization; null while draft. */
    number: text('number').unique(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id, { onDelete: 'restrict' }),
    status: invoiceStatus('status').notNull().default('draft'),
    billingReason: invoiceBillingReason('billing_reason').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }),
    periodEnd: timestamp('period_end', { withTimezone: true }),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
    discountTotal: bigint('discount_total', { mode: 'number' }).notNull().default(0),
    taxTotal: bigint('tax_total', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull(),
    creditApplied: bigint('credit_applied', { mode: 'number' }).notNull().default(0),
    amountDue: bigint('amount_due', { mode: 'number' }).notNull(),
    amountPaid: bigint('amount_paid', { mode: 'number' }).notNull().default(0),
    customerSnapshot: jsonb('customer_snapshot').$type<InvoiceCustomerSnapshot>().notNull(),
    /** A legal note the invoice must carry (a reverse charge). */
    taxNote: text('tax_note'),
    /** Off-session charge attempts so far; each attempt's provider call is keyed by it. */
    attemptCount: integer('attempt_count').notNull().default(0),
    /** Dunning: when the first charge of this invoice failed (it is recovered revenue if paid afterwards). */
    firstFailedAt: timestamp('first_failed_at', { withTimezone: true }),
    /** Dunning: when the next scheduled retry is due; null when none is (paid, not failing, or given up). */
    nextPaymentAttemptAt: timestamp('next_payment_attempt_at', { withTimezone: true }),
    /** While a charge of it is in flight: no other charge may start before this instant (a crashed one's claim lapses). */
    chargeClaimedUntil: timestamp('charge_claimed_until', { withTimezone: true }),
    /** The payment of the latest attempt. */
    paymentId: uuid('payment_id').references(() => payments.id, { onDelete: 'restrict' }),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('invoices_customer_idx').on(t.customerId, t.createdAt),
    index('invoices_status_idx').on(t.status),
    // A refund finds the invoice its payment paid (credit notes).
    index('invoices_payment_idx').on(t.paymentId),
    // The billing run finds the retries that have fallen due.
    index('invoices_next_attempt_idx').on(t.nextPaymentAttemptAt).where(sql`${t.nextPaymentAttemptAt} IS NOT NULL`),
    // One invoice per subscription period: a crashed, repeated or concurrent run cannot bill it twice.
    uniqueIndex('invoices_subscription_period_idx').on(t.subscriptionId, t.periodStart).where(sql`${t.billingReason} IN ('subscription_create', 'subscription_cycle')`),
    check('invoices_amounts_nonnegative', sql`${t.total} >= 0 AND ${t.amountDue} >= 0 AND ${t.amountPaid} >= 0 AND ${t.creditApplied} >= 0 AND ${t.taxTotal} >= 0 AND ${t.discountTotal} >= 0`),
    check('invoices_paid_within_due', sql`${t.amountPaid} <= ${t.amountDue}`),
    check('invoices_number_when_final', sql`(${t.status} = 'draft') = (${t.number} IS NULL)`),
  ],
);

export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
    kind: invoiceLineKind('kind').notNull(),
    description: text('description').notNull(),
    priceId: uuid('price_id').references(() => prices.id, { onDelete: 'restrict' }),
    /** Seats, units, or a metered line's usage (which can pass 2^31). */
    quantity: bigint('quantity', { mode: 'number' }).notNull().default(1),
    unitAmount: bigint('unit_amount', { mode: 'number' }).notNull(),
    /** Signed: a proration credit is negative; discounts and taxes are stored positive. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }),
    periodEnd: timestamp('period_end', { withTimezone: true }),
    /** Tax lines: the rate row (or 'reverse-charge'), its percentage, jurisdiction and type. */
    taxRateId: text('tax_rate_id'),
    taxPercentage: text('tax_percentage'),
    taxJurisdiction: text('tax_jurisdiction'),
    taxType: text('tax_type'),
    taxInclusive: boolean('tax_inclusive'),
  },
  (t) => [uniqueIndex('invoice_lines_position_idx').on(t.invoiceId, t.position)],
);

/** The next number per prefix (`INV-2026`): taken in the finalizing transaction, so a rollback leaves no gap. */
export const invoiceNumberSequences = pgTable('invoice_number_sequences', {
  prefix: text('prefix').primaryKey(),
  lastNumber: bigint('last_number', { mode: 'number' }).notNull(),
});

/**
 * `credit_note`: a credit note settled to the balance; `invoice_voided`: the credit an invoice had used,
 * given back when the invoice is voided.
 */
export const balanceTransactionType = pgEnum('balance_transaction_type', ['downgrade_credit', 'goodwill_credit', 'applied_to_invoice', 'invoice_overpayment', 'credit_note', 'invoice_voided']);

/**
 * The customer's credit balance, as a ledger: credits are positive, credit used on an invoice is
 * negative; the balance is the sum per currency and never goes below zero.
 */
export const customerBalanceTransactions = pgTable(
  'customer_balance_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    currency: char('currency', { length: 3 }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    type: balanceTransactionType('type').notNull(),
    invoiceId: uuid('invoice_id').references(() => invoices.id, { onDelete: 'restrict' }),
    description: text('description').notNull(),
    /** Makes a repeated credit or application a no-op. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('customer_balance_customer_idx').on(t.customerId, t.currency), check('customer_balance_nonzero', sql`${t.amount} <> 0`)],
);

export type Invoice = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type CustomerBalanceTransaction = typeof customerBalanceTransactions.$inferSelect;
