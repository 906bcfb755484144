/**
 * The job queue: pg-boss on the app's own database (its PGlite adapter when embedded, since PGlite
 * serves a single connection; its own pool on PostgreSQL).
 */
import { PgBoss, fromDrizzle, fromPglite, type DrizzleTransactionLike, type SendOptions } from 'pg-boss';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle, DbOrTx } from '@/db/client';
import { log } from '@/lib/log';

export const QUEUES = {
  sendEmail: 'email.send',
  processWebhook: 'webhook.process',
  reconcilePayments: 'payments.reconcile',
  runBilling: 'billing.run',
  chargeInvoice: 'invoice.charge',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export async function startQueue(handle: DatabaseHandle, options: { schedule: boolean }): Promise<PgBoss> {
  const boss =
    handle.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(handle.pglite!), backend: 'pglite', schedule: options.schedule })
      : new PgBoss({ connectionString: connectionStringOf(handle), max: 5, schedule: options.schedule });
  boss.on('error', (error) => log.error('job queue error', { error }));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    await boss.createQueue(name, { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 });
  }
  return boss;
}

function connectionStringOf(handle: DatabaseHandle): string {
  const options = handle.sql!.options;
  const host = Array.isArray(options.host) ? options.host[0] : options.host;
  const port = Array.isArray(options.port) ? options.port[0] : options.port;
  const user = encodeURIComponent(options.user);
  const password = typeof options.pass === 'string' && options.pass ? `:${encodeURIComponent(options.pass)}` : '';
  return `postgres://${user}${password}@${host}:${port}/${encodeURIComponent(options.database)}`;
}

/**
 * Enqueues a job inside the caller's transaction, so the job exists exactly when the records it
 * works on were committed.
 */
export async function enqueue(boss: PgBoss, tx: DbOrTx, queue: QueueName, data: object, options: SendOptions = {}) {
  return boss.send(queue, data, { ...options, db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql) });
}

/** Several jobs for one queue in one statement, inside the caller's transaction (see `enqueue`). */
export async function enqueueMany(boss: PgBoss, tx: DbOrTx, queue: QueueName, jobs: Array<{ data: object; singletonKey?: string }>) {
  if (jobs.length === 0) return;
  await boss.insert(queue, jobs, { db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql) });
}
