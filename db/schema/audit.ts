/** The audit log: who did what to which record, before and after. */
import { bigserial, index, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

export const actorType = pgEnum('actor_type', ['user', 'system', 'provider']);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorType: actorType('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    metadata: jsonb('metadata'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId), index('audit_log_created_idx').on(t.createdAt)],
);

export type AuditEntry = typeof auditLog.$inferInsert;
