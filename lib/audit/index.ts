/** The audit log: who did what to which record, with the state before and after. */
import type { DbOrTx } from '@/db/client';
import { auditLog, type AuditEntry } from '@/db/schema';

export type AuditInput = Omit<AuditEntry, 'id' | 'createdAt'>;

export async function writeAudit(db: DbOrTx, entry: AuditInput): Promise<void> {
  await writeAudits(db, [entry]);
}

/** Several entries in one statement. */
export async function writeAudits(db: DbOrTx, entries: readonly AuditInput[]): Promise<void> {
  if (entries.length > 0) await db.insert(auditLog).values([...entries]);
}
