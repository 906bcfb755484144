/**
 * Usage ingestion: metered usage events from the SaaS's backends, one or a batch at a time. A batch
 * is all or nothing: any bad event refuses the whole batch with every problem listed, and nothing is
 * counted. An idempotency key seen before is the same event, counted once; the same key with other
 * content is a conflict, not a silent overwrite.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { meters, subscriptionItems, subscriptions, usageEvents } from '@/db/schema';

export const MAX_BATCH = 1000;
/** How far ahead of the server's clock a timestamp may be (clock skew between backends). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const MAX_QUANTITY = 1e12;

const eventSchema = z.object({
  subscription: z.string({ error: 'subscription is required' }),
  customer: z.string().optional(),
  meter: z.string({ error: 'meter is required' }).regex(/^[A-Za-z0-9_.-]{1,64}$/, 'meter must be a meter key such as api_calls'),
  quantity: z
    .number({ error: 'quantity must be a number' })
    .int('quantity must be a whole number')
    .min(0, 'quantity must not be negative')
    .max(MAX_QUANTITY, `quantity must be at most ${MAX_QUANTITY}`),
  timestamp: z.union([z.iso.datetime({ offset: true, message: 'timestamp must be an ISO 8601 date-time or Unix seconds' }), z.number().int().positive()], { error: 'timestamp must be an ISO 8601 date-time or Unix seconds' }),
  idempotency_key: z.string({ error: 'idempotency_key is required' }).min(1, 'idempotency_key must not be empty').max(255, 'idempotency_key must be at most 255 characters'),
});

export type UsageEventInput = z.infer<typeof eventSchema>;

export interface UsageProblem {
  /** The event's position in the batch (0 for a single event). */
  index: number;
  status: 400 | 404;
  code: string;
  message: string;
}

export class UsageRejectedError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413,
    readonly code: string,
    message: string,
    readonly problems: UsageProblem[] = [],
  ) {
    super(message);
    this.name = 'UsageRejectedError';
  }
}

export interface IngestResult {
  events: Array<{ idempotencyKey: string; status: 'accepted' | 'duplicate' }>;
  accepted: number;
  duplicates: number;
}

interface Valid {
  index: number;
  subscriptionId: string;
  meterId: string;
  quantity: number;
  occurredAt: Date;
  idempotencyKey: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks every event against the schema, the clock and the database; throws with all problems, or returns them resolved. */
async function validate(db: Database, raw: readonly unknown[], now: Date): Promise<Valid[]> {
  const problems: UsageProblem[] = [];
  const parsed: Array<{ index: number; event: UsageEventInput; occurredAt: Date }> = [];
  raw.forEach((item, index) => {
    const result = eventSchema.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push({ index, status: 400, code: 'invalid_event', message: issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message });
      return;
    }
    const event = result.data;
    const occurredAt = typeof event.timestamp === 'number' ? new Date(event.timestamp * 1000) : new Date(event.timestamp);
    if (Number.isNaN(occurredAt.getTime())) {
      problems.push({ index, status: 400, code: 'invalid_event', message: `timestamp: ${String(event.timestamp)} is not a date` });
      return;
    }
    if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
      problems.push({ index, status: 400, code: 'timestamp_in_future', message: `timestamp ${occurredAt.toISOString()} is in the future (the server's time is ${now.toISOString()})` });
      return;
    }
    if (!UUID.test(event.subscription)) return problems.push({ index, status: 404, code: 'subscription_not_found', message: `no subscription "${event.subscription}"` });
    parsed.push({ index, event, occurredAt });
  });

  const subscriptionIds = [...new Set(parsed.map((p) => p.event.subscription.toLowerCase()))];
  const rows = subscriptionIds.length
    ? await db
        .select({ id: subscriptions.id, customerId: subscriptions.customerId, status: subscriptions.status, createdAt: subscriptions.createdAt, endedAt: subscriptions.endedAt, meterId: subscriptionItems.meterId, meterKey: meters.key })
        .from(subscriptions)
        .leftJoin(subscriptionItems, eq(subscriptionItems.subscriptionId, subscriptions.id))
        .leftJoin(meters, eq(meters.id, subscriptionItems.meterId))
        .where(inArray(subscriptions.id, subscriptionIds))
    : [];

  const valid: Valid[] = [];
  for (const { index, event, occurredAt } of parsed) {
    const subRows = rows.filter((row) => row.id === event.subscription.toLowerCase());
    const sub = subRows[0];
    if (!sub) {
      problems.push({ index, status: 404, code: 'subscription_not_found', message: `no subscription "${event.subscription}"` });
      continue;
    }
    if (event.customer !== undefined && event.customer.toLowerCase() !== sub.customerId) {
      problems.push({ index, status: 400, code: 'subscription_of_another_customer', message: `subscription ${sub.id} does not belong to customer "${event.customer}"` });
      continue;
    }
    if (sub.status === 'canceled') {
      problems.push({ index, status: 400, code: 'subscription_ended', message: `subscription ${sub.id} has ended${sub.endedAt ? ` (${sub.endedAt.toISOString()})` : ''}; its usage can no longer be billed` });
      continue;
    }
    if (occurredAt < sub.createdAt) {
      problems.push({ index, status: 400, code: 'timestamp_before_subscription', message: `timestamp ${occurredAt.toISOString()} is before subscription ${sub.id} started (${sub.createdAt.toISOString()})` });
      continue;
    }
    const item = subRows.find((row) => row.meterKey === event.meter);
    if (!item?.meterId) {
      // Told apart below, with one query for the whole batch: a meter that does not exist, or one this subscription lacks.
      problems.push({ index, status: 400, code: 'meter_not_on_subscription', message: `subscription ${sub.id} has no metered price for meter "${event.meter}"` });
      continue;
    }
    valid.push({ index, subscriptionId: sub.id, meterId: item.meterId, quantity: event.quantity, occurredAt, idempotencyKey: event.idempotency_key });
  }
  if (problems.length > 0) {
    const missing = problems.filter((p) => p.code === 'meter_not_on_subscription');
    if (missing.length > 0) {
      const keys = [...new Set(missing.map((p) => (raw[p.index] as { meter: string }).meter))];
      const known = new Set((await db.select({ key: meters.key }).from(meters).where(inArray(meters.key, keys))).map((m) => m.key));
      for (const p of missing) {
        const meter = (raw[p.index] as { meter: string }).meter;
        if (!known.has(meter)) Object.assign(p, { status: 404, code: 'meter_not_found', message: `no meter "${meter}"` });
      }
    }
    problems.sort((a, b) => a.index - b.index);
    const status = problems.every((p) => p.status === 404) ? 404 : 400;
    const first = problems[0];
    const message = raw.length === 1 ? first.message : `${problems.length} of ${raw.length} events were refused (first, event ${first.index}: ${first.message}); nothing was counted`;
    throw new UsageRejectedError(status, problems.length === 1 ? first.code : 'invalid_events', message, problems);
  }
  return valid;
}

const sameEvent = (a: Pick<Valid, 'subscriptionId' | 'meterId' | 'quantity' | 'occurredAt'>, b: Pick<Valid, 'subscriptionId' | 'meterId' | 'quantity' | 'occurredAt'>) =>
  a.subscriptionId === b.subscriptionId && a.meterId === b.meterId && a.quantity === b.quantity && a.occurredAt.getTime() === b.occurredAt.getTime();

function conflict(key: string): UsageRejectedError {
  return new UsageRejectedError(409, 'idempotency_key_reused', `idempotency_key "${key}" was already used for a different event; nothing was counted`);
}

/** Validates and stores the events in one transaction; returns which were new and which repeats. */
export async function ingestUsage(db: Database, apiKeyId: string, raw: readonly unknown[], now: Date): Promise<IngestResult> {
  if (raw.length === 0) throw new UsageRejectedError(400, 'no_events', 'send one event, or {"events": [...]} with at least one');
  if (raw.length > MAX_BATCH) throw new UsageRejectedError(413, 'batch_too_large', `at most ${MAX_BATCH} events per request, got ${raw.length}`);
  const valid = await validate(db, raw, now);

  // A key repeated inside the batch is one event (or a conflict).
  const byKey = new Map<string, Valid>();
  for (const event of valid) {
    const seen = byKey.get(event.idempotencyKey);
    if (seen && !sameEvent(seen, event)) throw conflict(event.idempotencyKey);
    if (!seen) byKey.set(event.idempotencyKey, event);
  }
  // Sorted, so two batches sharing keys take the unique index's locks in the same order (no deadlock).
  const distinct = [...byKey.values()].sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0));
  const inserted = await db.transaction(async (tx) => {
    // The subscriptions are locked before any event takes its id: rating reads the highest id of a
    // subscription it holds FOR UPDATE as its watermark (lib/usage/rating), so no event of it may
    // commit later with a lower id. Locked in id order; checked again under the lock (a cancellation).
    const subscriptionIds = [...new Set(distinct.map((e) => e.subscriptionId))].sort();
    const locked = await tx.select({ id: subscriptions.id, status: subscriptions.status }).from(subscriptions).where(inArray(subscriptions.id, subscriptionIds)).orderBy(asc(subscriptions.id)).for('key share');
    const ended = locked.find((sub) => sub.status === 'canceled');
    if (ended) throw new UsageRejectedError(400, 'subscription_ended', `subscription ${ended.id} has ended; its usage can no longer be billed; nothing was counted`);
    const rows = await tx
      .insert(usageEvents)
      .values(distinct.map((e) => ({ subscriptionId: e.subscriptionId, meterId: e.meterId, quantity: e.quantity, occurredAt: e.occurredAt, idempotencyKey: e.idempotencyKey, apiKeyId, receivedAt: now })))
      .onConflictDoNothing({ target: usageEvents.idempotencyKey })
      .returning({ idempotencyKey: usageEvents.idempotencyKey });
    const fresh = new Set(rows.map((row) => row.idempotencyKey));
    const repeated = distinct.filter((e) => !fresh.has(e.idempotencyKey));
    if (repeated.length > 0) {
      const earlier = await tx.select().from(usageEvents).where(inArray(usageEvents.idempotencyKey, repeated.map((e) => e.idempotencyKey)));
      const earlierByKey = new Map(earlier.map((row) => [row.idempotencyKey, row]));
      for (const event of repeated) {
        const before = earlierByKey.get(event.idempotencyKey);
        if (!before || !sameEvent(before, event)) throw conflict(event.idempotencyKey);
      }
    }
    return fresh;
  });
  const events = valid.map((e, i) => ({ idempotencyKey: e.idempotencyKey, status: inserted.has(e.idempotencyKey) && valid.findIndex((v) => v.idempotencyKey === e.idempotencyKey) === i ? ('accepted' as const) : ('duplicate' as const) }));
  const accepted = events.filter((e) => e.status === 'accepted').length;
  return { events, accepted, duplicates: events.length - accepted };
}
