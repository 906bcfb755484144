/** The admin's view of inbound webhooks: filtered, newest first, with counts by status. */
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { webhookEvents, webhookRejections } from '@/db/schema';

export const eventLogFilterSchema = z.object({
  provider: z.enum(['stripe', 'paypal']).optional().catch(undefined),
  status: z.enum(['received', 'processing', 'processed', 'ignored', 'failed', 'dead']).optional().catch(undefined),
  type: z.string().trim().max(100).optional().catch(undefined).transform((v) => v || undefined),
});
export type EventLogFilter = z.infer<typeof eventLogFilterSchema>;

export async function listWebhookEvents(db: Database, filter: EventLogFilter, limit = 100) {
  const conditions: SQL[] = [];
  if (filter.provider) conditions.push(eq(webhookEvents.provider, filter.provider));
  if (filter.status) conditions.push(eq(webhookEvents.status, filter.status));
  if (filter.type) conditions.push(eq(webhookEvents.type, filter.type));
  const where = conditions.length ? and(...conditions) : undefined;
  const [events, statusCounts, rejections] = await Promise.all([
    db
      .select({
        id: webhookEvents.id,
        provider: webhookEvents.provider,
        eventId: webhookEvents.eventId,
        type: webhookEvents.type,
        status: webhookEvents.status,
        attempts: webhookEvents.attempts,
        outcome: webhookEvents.outcome,
        lastError: webhookEvents.lastError,
        receivedAt: webhookEvents.receivedAt,
      })
      .from(webhookEvents)
      .where(where)
      .orderBy(desc(webhookEvents.receivedAt))
      .limit(limit),
    db.select({ status: webhookEvents.status, n: count() }).from(webhookEvents).groupBy(webhookEvents.status),
    db.select().from(webhookRejections),
  ]);
  return { events, statusCounts: Object.fromEntries(statusCounts.map((s) => [s.status, s.n])) as Record<string, number>, rejections };
}
