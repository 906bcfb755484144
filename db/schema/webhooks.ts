/** Inbound webhooks: stored first, processed later. */
import { bigint, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { paymentProvider } from './payments';

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

export type WebhookEvent = typeof webhookEvents.$inferSelect;
