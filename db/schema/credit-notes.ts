/**
 * Credit notes: corrections of a finalized invoice, which itself never changes. Each one credits part
 * of what the customer paid, settled either by a refund through the provider or to the customer's
 * credit balance, and has its own gapless number per year (CN-2026-000001).
 */
import { sql } from 'drizzle-orm';
import { bigint, char, check, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { customers } from './accounts';
import { customerBalanceTransactions, invoices } from './invoices';
import { refunds } from './payments';

/** Stripe's credit note reasons; null when none was given. */
export const creditNoteReason = pgEnum('credit_note_reason', ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory']);
export const creditNoteSettlement = pgEnum('credit_note_settlement', ['refund', 'credit_balance']);
/** `void`: its refund failed at the provider, so nothing was credited after all. */
export const creditNoteStatus = pgEnum('credit_note_status', ['issued', 'void']);

export const creditNotes = pgTable(
  'credit_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Gapless per prefix (CN-2026-000001), taken from invoice_number_sequences in the issuing transaction. */
    number: text('number').notNull().unique(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'restrict' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    currency: char('currency', { length: 3 }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    reason: creditNoteReason('reason'),
    settlement: creditNoteSettlement('settlement').notNull(),
    /** The refund that paid it back (settlement `refund`): one credit note per refund. */
    refundId: uuid('refund_id')
      .unique()
      .references(() => refunds.id, { onDelete: 'restrict' }),
    /** The ledger entry that credited the balance (settlement `credit_balance`). */
    balanceTransactionId: uuid('balance_transaction_id')
      .unique()
      .references(() => customerBalanceTransactions.id, { onDelete: 'restrict' }),
    status: creditNoteStatus('status').notNull().default('issued'),
    memo: text('memo'),
    /** Makes a repeated issue a no-op: `refund:stripe:re_123` for a refund, the admin request's key otherwise. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('credit_notes_invoice_idx').on(t.invoiceId),
    index('credit_notes_customer_idx').on(t.customerId, t.createdAt),
    check('credit_notes_amount_positive', sql`${t.amount} > 0`),
    check(
      'credit_notes_settled_one_way',
      sql`(${t.settlement} = 'refund' AND ${t.refundId} IS NOT NULL AND ${t.balanceTransactionId} IS NULL) OR (${t.settlement} = 'credit_balance' AND ${t.balanceTransactionId} IS NOT NULL AND ${t.refundId} IS NULL)`,
    ),
    check('credit_notes_voided_at_when_void', sql`(${t.status} = 'void') = (${t.voidedAt} IS NOT NULL)`),
  ],
);

/**
 * Refunds an admin asked for, one per request key: the key is also the provider call's idempotency
 * key, so a repeated request (a double click, a retry after a timeout) finds its refund here and does
 * nothing twice.
 */
export const invoiceRefundRequests = pgTable(
  'invoice_refund_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'restrict' }),
    refundId: uuid('refund_id')
      .notNull()
      .references(() => refunds.id, { onDelete: 'restrict' }),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    requestedBy: text('requested_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('invoice_refund_requests_invoice_idx').on(t.invoiceId), check('invoice_refund_requests_amount_positive', sql`${t.amount} > 0`)],
);

export type CreditNote = typeof creditNotes.$inferSelect;
export type InvoiceRefundRequest = typeof invoiceRefundRequests.$inferSelect;
