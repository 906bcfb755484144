/**
 * Databases for integration tests: a fresh in-memory PGlite, or, when TEST_DATABASE_URL is set, a
 * fresh database created on that PostgreSQL server (dropped afterwards). Migrated either way.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { PgBoss } from 'pg-boss';
import { openDatabase, type Database, type DatabaseHandle } from '@/db/client';
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

/**
 * Sessions of the test's PostgreSQL database waiting for a lock: a concurrency test waits for this to
 * know its second transaction is blocked. (PostgreSQL's driver returns the rows as an array.)
 */
export async function lockWaiters(db: Database): Promise<number> {
  const rows = (await db.execute(sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)) as unknown as Array<{ waiting: number }>;
  return rows[0].waiting;
}
