/** Outgoing email, kept in an outbox and sent by a job. */
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

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

export type OutboxEmail = typeof outboxEmails.$inferSelect;
