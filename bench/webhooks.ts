/**
 * `npm run bench:webhooks` (after `npm run build`): drives signed Stripe events at the production build
 * on PostgreSQL 15, 10% of them repeat deliveries.
 *   1. The Next.js route on one web process (WORKERS=off, so processing does not share its CPU): a ramp
 *      of rates and a steady 500/s, printing accepted events/s and p50/p99 latency; then a worker
 *      process drains the backlog, and every accepted event must be processed once.
 *   2. The same against the plain Node webhook server (`npm run webhooks`).
 *   3. Scale-out: two web processes and two worker processes at once, load spread over both webs,
 *      then the same exactly-once check.
 * `npm run bench:webhooks -- next|server|multi` runs one part.
 */
import { rmSync } from 'node:fs';
import postgres from 'postgres';
import Stripe from 'stripe';
import { runOpenLoop, type LoadResult } from './support/load';
import { startBenchPostgres } from './support/postgres';
import { startWebhookServer, startWeb, startWorker, type Started } from './support/processes';

const SECRET = 'whsec_sandbox_00000000000000000000000000';
const DUPLICATE_SHARE = 0.1;
const SANDBOX_PORT = 12210;
const PAYMENT_INTENTS = 40;

function eventFactory(intentIds: string[]) {
  const sent: string[] = [];
  const distinct = new Set<string>();
  let n = 0;
  const next = () => {
    let body: string;
    if (sent.length > 0 && Math.random() < DUPLICATE_SHARE) {
      body = sent[Math.floor(Math.random() * sent.length)];
    } else {
      const id = `evt_bench_${process.pid}_${++n}`;
      const intent = intentIds[n % intentIds.length];
      body = JSON.stringify({ id, object: 'event', type: 'payment_intent.succeeded', api_version: '2024-04-10', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: intent, object: 'payment_intent' } } });
      sent.push(body);
      distinct.add(id);
    }
    // A fresh signature per delivery, as Stripe signs each retry anew.
    return { body, headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }) } };
  };
  return { next, distinct };
}

/** Waits until every bench event is processed (or failed), then reports (the sandbox's own events are left out). */
async function drain(databaseUrl: string, expected: number, timeoutMs = 600_000) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const started = Date.now();
  try {
    for (;;) {
      const [row] = await sql`select count(*)::int as stored,
          count(*) filter (where status = 'processed')::int as processed,
          count(*) filter (where status in ('failed', 'dead'))::int as failed,
          count(*) filter (where attempts > 1)::int as retried,
          coalesce(max(attempts), 0)::int as max_attempts
        from webhook_events where event_id like 'evt_bench_%'`;
      if (row.processed + row.failed >= expected || Date.now() - started > timeoutMs) {
        return { ...row, drainSeconds: Number(((Date.now() - started) / 1000).toFixed(1)) } as Record<string, number>;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await sql.end();
  }
}

async function createIntents(): Promise<string[]> {
  const stripe = new Stripe('sk_test_sandbox_0000000000000000000000000', { host: '127.0.0.1', port: SANDBOX_PORT, protocol: 'http' });
  const ids: string[] = [];
  for (let i = 0; i < PAYMENT_INTENTS; i++) {
    const intent = await stripe.paymentIntents.create({ amount: 1000 + i, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    ids.push(intent.id);
  }
  return ids;
}

function show(label: string, r: LoadResult) {
  console.log(
    `${label.padEnd(34)} target ${String(r.rate).padStart(5)}/s  accepted ${String(r.achievedPerSecond).padStart(5)}/s  p50 ${String(r.p50).padStart(6)} ms  p99 ${String(r.p99).padStart(7)} ms  max ${String(r.max).padStart(7)} ms  errors ${r.errors}`,
  );
}

/** A ramp of rates until p99 passes 200 ms, then a steady 500/s; returns the highest rate sustained under it. */
async function ramp(label: string, target: URL[], events: ReturnType<typeof eventFactory>, rates: number[]): Promise<number> {
  console.log(`\nwebhook acknowledgement, ${label}, PostgreSQL 15, ${DUPLICATE_SHARE * 100}% duplicates`);
  await runOpenLoop(target, 100, 3, events.next); // warm-up
  let sustained = 0;
  for (const rate of rates) {
    const step = await runOpenLoop(target, rate, 5, events.next);
    show(`step ${rate}/s for 5 s`, step);
    if (step.p99 <= 200 && step.errors === 0) sustained = Math.max(sustained, step.achievedPerSecond);
    await new Promise((r) => setTimeout(r, 2000));
    if (step.p99 > 200) break;
  }
  console.log(`sustained before p99 passes 200 ms: ${sustained} events/s`);
  show('steady 500/s for 10 s', await runOpenLoop(target, 500, 10, events.next));
  return sustained;
}

async function main() {
  const pg = await startBenchPostgres();
  const running: Started[] = [];
  const stopAll = async () => {
    for (const p of running.reverse()) await p.stop();
    running.length = 0;
  };
  const only = process.argv[2];
  try {
    const results: Array<{ stored: number; processed: number; retried: number; expected: number }> = [];
    const single = async (name: string, label: string, start: (env: Record<string, string>) => Promise<URL>, rates: number[]) => {
      const url = await pg.freshDatabase(`bench_webhooks_${name}`);
      rmSync('.data/bench-webhooks', { recursive: true, force: true });
      const env = { DATABASE_URL: url, SANDBOX_PORT: String(SANDBOX_PORT), DATA_DIR: '.data/bench-webhooks', APP_URL: 'http://127.0.0.1:3210', WORKERS: 'off' };
      // The web process starts the sandbox; the webhook server run needs one too, for the worker's re-reads.
      running.push(await startWeb(env, 3210));
      const target = await start(env);
      const events = eventFactory(await createIntents());
      await ramp(label, [target], events, rates);
      const drainStart = Date.now();
      running.push(await startWorker(env));
      const drained = await drain(url, events.distinct.size);
      const seconds = (Date.now() - drainStart) / 1000;
      console.log(
        `drain by one worker process: ${events.distinct.size} distinct events accepted; stored ${drained.stored}, processed ${drained.processed}, failed ${drained.failed}, processed more than once ${drained.retried}; ${seconds.toFixed(1)} s, ${Math.round(drained.processed / seconds)} events/s`,
      );
      results.push({ ...(drained as { stored: number; processed: number; retried: number }), expected: events.distinct.size });
      await stopAll();
    };

    // Run 1: the Next.js route, one web process (workers apart, so processing does not share its CPU).
    if (!only || only === 'next') await single('next', 'Next.js route, one web process', async () => new URL('http://127.0.0.1:3210/api/webhooks/stripe'), [100, 200, 300, 400, 500, 750, 1000]);
    // Run 2: the plain Node webhook server (npm run webhooks), one process.
    if (!only || only === 'server') {
      await single('server', 'webhook server (npm run webhooks), one process', async (env) => {
        running.push(await startWebhookServer(env, 3220));
        return new URL('http://127.0.0.1:3220/api/webhooks/stripe');
      }, [500, 1000, 1500, 2000, 2500, 3000]);
    }

    // Run 3: two web processes (no workers) and two worker processes on one database, all at once.
    if (!only || only === 'multi') {
      const url = await pg.freshDatabase('bench_webhooks_multi');
      rmSync('.data/bench-webhooks', { recursive: true, force: true });
      const env = { DATABASE_URL: url, SANDBOX_PORT: String(SANDBOX_PORT), DATA_DIR: '.data/bench-webhooks', APP_URL: 'http://127.0.0.1:3211', WORKERS: 'off' };
      running.push(await startWeb(env, 3211));
      running.push(await startWeb(env, 3212));
      running.push(await startWorker(env));
      running.push(await startWorker(env));
      const events = eventFactory(await createIntents());
      const targets = [3211, 3212].map((p) => new URL(`http://127.0.0.1:${p}/api/webhooks/stripe`));
      console.log('\ntwo web processes and two worker processes at once');
      show('steady 100/s for 10 s', await runOpenLoop(targets, 100, 10, events.next));
      const multi = await drain(url, events.distinct.size);
      console.log(`drain: ${events.distinct.size} distinct events accepted; stored ${multi.stored}, processed ${multi.processed}, failed ${multi.failed}, processed more than once ${multi.retried}; ${multi.drainSeconds} s after the load`);
      results.push({ ...(multi as { stored: number; processed: number; retried: number }), expected: events.distinct.size });
    }
    const exactlyOnce = results.every((r) => r.stored === r.expected && r.processed === r.stored && r.retried === 0);
    console.log(`\nevery accepted event processed exactly once: ${exactlyOnce ? 'yes' : 'NO'}`);
  } finally {
    await stopAll();
    pg.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
