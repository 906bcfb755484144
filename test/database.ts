/**
 * Databases for integration tests: a fresh in-memory PGlite, or, when TEST_DATABASE_URL is set, a
 * fresh database created on that PostgreSQL server (dropped afterwards). Migrated either way.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { PgBoss } from 'pg-boss';
import { openDatabase, type Database, type DatabaseHandle, type DbOrTx } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { startQueue } from '@/lib/jobs/queue';

export const testDatabaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase {
  handle: DatabaseHandle;
  boss: PgBoss;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let dropDatabase = async () => {};
  let handle: DatabaseHandle;
  if (adminUrl) {
    const name = `test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    handle = await openDatabase({ kind: 'postgres', url: url.toString(), max: 5 });
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    handle = await openDatabase({ kind: 'pglite-memory' });
  }
  await runMigrations(handle);
  const boss = await startQueue(handle, { schedule: false });
  return {
    handle,
    boss,
    async close() {
      await boss.stop({ graceful: false, timeout: 2000 });
      await handle.close();
      await dropDatabase();
    },
  };
}

/** The PostgreSQL backend serving a transaction, for sessionsBlockedBy. */
export async function backendPid(tx: DbOrTx): Promise<number> {
  const rows = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as Array<{ pid: number }>;
  return rows[0].pid;
}

/**
 * Sessions waiting, directly or behind another waiter, for a lock that backend `pid` holds: a
 * concurrency test waits for this to know its other transactions are blocked behind its own.
 * (PostgreSQL's driver returns the rows as an array.)
 */
export async function sessionsBlockedBy(db: Database, pid: number): Promise<number> {
  const rows = (await db.execute(sql`
    with recursive blocked(pid) as (
      select a.pid from pg_stat_activity a where ${pid} = any(pg_blocking_pids(a.pid))
      union
      select a.pid from pg_stat_activity a join blocked b on b.pid = any(pg_blocking_pids(a.pid))
    )
    select count(*)::int as blocked from blocked`)) as unknown as Array<{ blocked: number }>;
  return rows[0].blocked;
}
