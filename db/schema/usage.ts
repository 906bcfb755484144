/**
 * Usage-based billing: the metered add-ons on a subscription, the API keys the SaaS backends send
 * usage with (hashed at rest), and the usage events themselves (a repeated idempotency key counts once).
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { users } from './accounts';
import { meters, prices } from './catalog';
import { subscriptions } from './checkout';

/** A metered price added to a subscription: billed in arrears at each period end for its meter's usage. */
export const subscriptionItems = pgTable(
  'subscription_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'restrict' }),
    priceId: uuid('price_id')
      .notNull()
      .references(() => prices.id, { onDelete: 'restrict' }),
    meterId: uuid('meter_id')
      .notNull()
      .references(() => meters.id, { onDelete: 'restrict' }),
    createdAt: createdAt(),
  },
  // One price per meter and subscription: an event's meter names exactly one price to rate it with.
  (t) => [uniqueIndex('subscription_items_meter_idx').on(t.subscriptionId, t.meterId)],
);

/** A key a SaaS backend authenticates usage with: only its SHA-256 is stored; the key is shown once. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Which backend uses it, e.g. "API gateway (eu-west)". */
  name: text('name').notNull(),
  /** The key's first characters, to recognise it in lists: `usk_3fA9x2Qb`. */
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/**
 * One usage event as received. `id` orders arrival: rating takes every event of a subscription up to
 * an id (see subscriptions.usageRatedThroughId), so an event that arrives after its period was
 * invoiced is on the next invoice.
 */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'restrict' }),
    meterId: uuid('meter_id')
      .notNull()
      .references(() => meters.id, { onDelete: 'restrict' }),
    quantity: bigint('quantity', { mode: 'number' }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** Chosen by the sender: the same key again is the same event, counted once. */
    idempotencyKey: text('idempotency_key').notNull(),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'restrict' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('usage_events_idempotency_idx').on(t.idempotencyKey),
    index('usage_events_subscription_idx').on(t.subscriptionId, t.id),
    // Rating's other half: events of a subscription dated after the last rated period end.
    index('usage_events_occurred_idx').on(t.subscriptionId, t.occurredAt),
    check('usage_events_quantity_nonnegative', sql`${t.quantity} >= 0`),
  ],
);

export type SubscriptionItem = typeof subscriptionItems.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type UsageEvent = typeof usageEvents.$inferSelect;
