import { sql } from 'drizzle-orm';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: database, job queue and payments mode, as JSON. */
export async function GET() {
  try {
    const { db, boss, config, database, workersRunning } = await getRuntime();
    const [dbCheck, queueCheck] = await Promise.allSettled([db.execute(sql`select 1`), boss.getQueues()]);
    const healthy = dbCheck.status === 'fulfilled' && queueCheck.status === 'fulfilled';
    return Response.json(
      {
        status: healthy ? 'ok' : 'degraded',
        mode: config.mode,
        database: { kind: database.kind, ok: dbCheck.status === 'fulfilled' },
        jobQueue: { ok: queueCheck.status === 'fulfilled', workers: workersRunning ? 'in-process' : 'separate' },
      },
      { status: healthy ? 200 : 503, headers: { 'cache-control': 'no-store' } },
    );
  } catch (error) {
    return Response.json({ status: 'down', error: (error as Error).message }, { status: 503 });
  }
}
