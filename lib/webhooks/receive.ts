/**
 * Receiving a verified webhook: store it keyed by (provider, event id) and enqueue its processing in
 * the same transaction, then answer. Concurrent deliveries share one transaction (the batcher). A repeat delivery finds the row and is acknowledged without a
 * second job; an event type with no handler is stored as ignored. Nothing slow happens here.
 */
import { sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { webhookEvents, webhookRejections } from '@/db/schema';
import { enqueueMany, QUEUES } from '@/lib/jobs/queue';
import { log } from '@/lib/log';
import { hasHandler } from './registry';

export type Provider = 'stripe' | 'paypal';
export type ReceiveOutcome = 'queued' | 'duplicate' | 'ignored';

export interface ProcessWebhookJob {
  eventRowId: string;
}

export interface VerifiedEvent {
  provider: Provider;
  id: string;
  type: string;
  payload: unknown;
}

const eventKey = (event: Pick<VerifiedEvent, 'provider' | 'id'>) => `${event.provider}:${event.id}`;

/**
 * Stores verified events and enqueues the new, handled ones, all in one transaction: one multi-row
 * insert and one job insert however many there are. Outcomes come back in the input's order; an
 * event delivered twice in the same batch is stored once and the second is a duplicate.
 */
export async function storeVerifiedEvents(db: Database, boss: PgBoss, events: readonly VerifiedEvent[]): Promise<ReceiveOutcome[]> {
  if (events.length === 0) return [];
  // Inserted in one order whatever the arrival order, so two app instances storing overlapping
  // batches wait on each other's rows instead of deadlocking on the unique index.
  const ordered = [...events].sort((a, b) => (eventKey(a) < eventKey(b) ? -1 : eventKey(a) > eventKey(b) ? 1 : 0));
  return db.transaction(async (tx) => {
    const rows = await tx
      .insert(webhookEvents)
      .values(
        ordered.map((event) => {
          const handled = hasHandler(event.provider, event.type);
          return {
            provider: event.provider,
            eventId: event.id,
            type: event.type,
            status: handled ? ('received' as const) : ('ignored' as const),
            payload: event.payload as object,
            outcome: handled ? null : 'no handler for this event type',
          };
        }),
      )
      .onConflictDoNothing({ target: [webhookEvents.provider, webhookEvents.eventId] })
      .returning({ id: webhookEvents.id, provider: webhookEvents.provider, eventId: webhookEvents.eventId });
    const inserted = new Map(rows.map((row) => [eventKey({ provider: row.provider, id: row.eventId }), row.id]));
    const jobs: Array<{ data: ProcessWebhookJob; singletonKey: string }> = [];
    const outcomes = events.map((event): ReceiveOutcome => {
      const key = eventKey(event);
      const rowId = inserted.get(key);
      if (!rowId) return 'duplicate';
      inserted.delete(key);
      if (!hasHandler(event.provider, event.type)) return 'ignored';
      jobs.push({ data: { eventRowId: rowId }, singletonKey: rowId });
      return 'queued';
    });
    await enqueueMany(boss, tx, QUEUES.processWebhook, jobs);
    return outcomes;
  });
}

export async function storeVerifiedEvent(db: Database, boss: PgBoss, event: VerifiedEvent): Promise<ReceiveOutcome> {
  const [outcome] = await storeVerifiedEvents(db, boss, [event]);
  return outcome;
}

/**
 * Groups concurrent deliveries into one transaction: while a batch is being written, the next
 * requests wait and go together in the following one (no timer, so a lone request is not delayed).
 * Each caller's promise settles when its own event is committed. Should a batch fail (one bad
 * payload), its events are stored one by one so only the bad one fails.
 */
export function createEventBatcher(db: Database, boss: PgBoss, maxBatch = 500): (event: VerifiedEvent) => Promise<ReceiveOutcome> {
  let waiting: Array<{ event: VerifiedEvent; resolve: (o: ReceiveOutcome) => void; reject: (e: unknown) => void }> = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        const outcomes = await storeVerifiedEvents(db, boss, batch.map((w) => w.event));
        batch.forEach((w, i) => w.resolve(outcomes[i]));
      } catch {
        for (const w of batch) await storeVerifiedEvent(db, boss, w.event).then(w.resolve, w.reject);
      }
    }
    writing = false;
  }

  return (event) =>
    new Promise<ReceiveOutcome>((resolve, reject) => {
      waiting.push({ event, resolve, reject });
      if (!writing) void drain();
    });
}

/** Counts a refused request by reason (the body is never stored or logged). */
export async function recordRejection(db: Database, provider: Provider, reason: string): Promise<void> {
  log.warn('webhook rejected', { provider, reason });
  await db
    .insert(webhookRejections)
    .values({ provider, reason, count: 1 })
    .onConflictDoUpdate({
      target: [webhookRejections.provider, webhookRejections.reason],
      set: { count: sql`${webhookRejections.count} + 1`, lastAt: sql`now()` },
    });
}
