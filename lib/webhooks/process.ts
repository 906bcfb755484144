/**
 * Processing one stored event: load the object afresh from the provider, then apply it and mark the
 * event processed in one transaction (the event row locked, so two workers can never both apply it).
 * A failure is recorded on the event and rethrown for the queue to retry with backoff; after the last
 * attempt the event is dead, for an admin to replay.
 */
import { and, eq, ne } from 'drizzle-orm';
import { webhookEvents } from '@/db/schema';
import type { ProcessingDeps } from './handler';
import { handlerFor } from './registry';

export type ProcessResult = 'processed' | 'already-processed' | 'missing';

export async function processWebhookEvent(deps: ProcessingDeps, eventRowId: string, options: { lastAttempt: boolean; now?: Date }): Promise<ProcessResult> {
  const { db } = deps;
  const now = options.now ?? new Date();
  const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventRowId));
  if (!event) return 'missing';
  if (event.status === 'processed' || event.status === 'ignored') return 'already-processed';
  const handler = handlerFor(event.provider, event.type);
  if (!handler) {
    await db.update(webhookEvents).set({ status: 'ignored', outcome: 'no handler for this event type' }).where(eq(webhookEvents.id, event.id));
    return 'processed';
  }
  await db
    .update(webhookEvents)
    .set({ status: 'processing', attempts: event.attempts + 1 })
    .where(and(eq(webhookEvents.id, event.id), ne(webhookEvents.status, 'processed')));
  const ctx = { ...deps, now };
  try {
    const loaded = await handler.load(event.payload, ctx);
    return await db.transaction(async (tx) => {
      const [locked] = await tx.select({ status: webhookEvents.status }).from(webhookEvents).where(eq(webhookEvents.id, event.id)).for('update');
      if (locked.status === 'processed') return 'already-processed';
      const outcome = await handler.apply(tx, loaded, ctx);
      await tx.update(webhookEvents).set({ status: 'processed', outcome, lastError: null, processedAt: now }).where(eq(webhookEvents.id, event.id));
      return 'processed';
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(webhookEvents)
      .set({ status: options.lastAttempt ? 'dead' : 'failed', lastError: message.slice(0, 1000) })
      .where(and(eq(webhookEvents.id, event.id), ne(webhookEvents.status, 'processed')));
    throw error;
  }
}
