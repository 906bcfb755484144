/**
 * Opening the database: PGlite (embedded, persisted under DATA_DIR) without DATABASE_URL,
 * PostgreSQL through postgres.js with it. Both give the same drizzle API over the same schema.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: services take this so callers can compose them in one transaction. */
export type DbOrTx = Parameters<Parameters<Database['transaction']>[0]>[0] | Database;

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory' }
  | { kind: 'postgres'; url: string; max?: number };

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** The PGlite instance, when embedded (pg-boss shares it: PGlite is single-connection). */
  pglite: PGlite | null;
  /** The postgres.js client, when on PostgreSQL. */
  sql: postgres.Sql | null;
  close(): Promise<void>;
}

export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const sql = postgres(target.url, { max: target.max ?? 10, onnotice: () => {} });
    try {
      await sql`select 1`;
    } catch (cause) {
      await sql.end({ timeout: 1 });
      throw new DatabaseOpenError(`Cannot connect to PostgreSQL at DATABASE_URL: ${(cause as Error).message}`, { cause });
    }
    return {
      db: drizzlePostgres(sql, { schema }) as unknown as Database,
      kind: 'postgres',
      pglite: null,
      sql,
      close: () => sql.end({ timeout: 5 }),
    };
  }

  let pglite: PGlite;
  if (target.kind === 'pglite-memory') {
    pglite = await PGlite.create();
  } else {
    const dir = path.resolve(target.dataDir, 'pglite');
    try {
      mkdirSync(dir, { recursive: true });
      pglite = await PGlite.create(dir);
    } catch (cause) {
      throw new DatabaseOpenError(
        `The embedded database in ${dir} could not be opened (${(cause as Error).message ?? cause}). ` +
          'If another process of the app is running, stop it (the embedded database serves one process; use DATABASE_URL for several). ' +
          `Otherwise the directory is damaged: move it aside (keep it if it holds data you need) and start again to create a fresh one.`,
        { cause },
      );
    }
  }
  return {
    db: drizzlePglite(pglite, { schema }) as unknown as Database,
    kind: 'pglite',
    pglite,
    sql: null,
    close: () => pglite.close(),
  };
}
