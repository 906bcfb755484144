/**
 * Receiving a verified webhook: store it keyed by (provider, event id) and enqueue its processing in
 * the same transaction, then answer. A repeat delivery finds the row and is acknowledged without a
 * second job; an event type with no handler is stored as ignored. Nothing slow happens here.
 */
import { sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { webhookEvents, webhookRejections } from '@/db/schema';
import { enqueue, QUEUES } from '@/lib/jobs/queue';
import { log } from '@/lib/log';
import { hasHandler } from './registry';

export type Provider = 'stripe' | 'paypal';
export type ReceiveOutcome = 'queued' | 'duplicate' | 'ignored';

export interface ProcessWebhookJob {
  eventRowId: string;
}

export async function storeVerifiedEvent(
  db: Database,
  boss: PgBoss,
  event: { provider: Provider; id: string; type: string; payload: unknown },
): Promise<ReceiveOutcome> {
  const handled = hasHandler(event.provider, event.type);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEvents)
      .values({
        provider: event.provider,
        eventId: event.id,
        type: event.type,
        status: handled ? 'received' : 'ignored',
        payload: event.payload as object,
        outcome: handled ? null : 'no handler for this event type',
      })
      .onConflictDoNothing({ target: [webhookEvents.provider, webhookEvents.eventId] })
      .returning({ id: webhookEvents.id });
    if (!row) return 'duplicate';
    if (!handled) return 'ignored';
    await enqueue(boss, tx, QUEUES.processWebhook, { eventRowId: row.id } satisfies ProcessWebhookJob, { singletonKey: row.id });
    return 'queued';
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
