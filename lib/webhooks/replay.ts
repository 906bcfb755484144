/** Replaying events (admin): back to `received` and queued again. Handlers re-read the provider, so a replay is idempotent. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { webhookEvents } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { enqueue, QUEUES } from '@/lib/jobs/queue';
import { hasHandler } from './registry';
import type { ProcessWebhookJob } from './receive';

export class ReplayError extends Error {}

export async function replayEvents(db: Database, boss: PgBoss, eventRowIds: string[], actorId: string): Promise<number> {
  if (eventRowIds.length === 0) return 0;
  return db.transaction(async (tx) => {
    // Locked in id order, so two admins replaying overlapping sets wait instead of deadlocking.
    const rows = await tx.select().from(webhookEvents).where(inArray(webhookEvents.id, eventRowIds)).orderBy(asc(webhookEvents.id)).for('update');
    if (rows.length !== eventRowIds.length) throw new ReplayError('Some of these events do not exist.');
    for (const row of rows) {
      if (!hasHandler(row.provider, row.type)) throw new ReplayError(`The app has no handler for ${row.type}; there is nothing to replay.`);
      await tx.update(webhookEvents).set({ status: 'received', lastError: null }).where(eq(webhookEvents.id, row.id));
      await enqueue(boss, tx, QUEUES.processWebhook, { eventRowId: row.id } satisfies ProcessWebhookJob, { singletonKey: row.id });
      await writeAudit(tx, {
        actorType: 'user',
        actorId,
        action: 'webhook.replayed',
        entityType: 'webhook_event',
        entityId: row.id,
        before: { status: row.status },
        after: { status: 'received' },
      });
    }
    return rows.length;
  });
}

export async function replayDeadEvents(db: Database, boss: PgBoss, actorId: string): Promise<number> {
  const dead = await db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.status, 'dead'));
  return replayEvents(db, boss, dead.map((d) => d.id), actorId);
}
