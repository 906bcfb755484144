/**
 * `npm run bench:usage [-- ingest|rate]` (after `npm run build`), on a durable PostgreSQL 15 (fsync on):
 *   1. ingest: usage events sent to POST /api/usage/events, 10% of requests repeating an earlier one
 *      (same idempotency key): single events at rising rates, then batches of 100; first to the
 *      production build (one web process, WORKERS=off), then to the plain Node ingest server
 *      (`npm run webhooks`). Printed: events accepted per second, p50/p99 request latency. Checked:
 *      every distinct key stored once.
 *   2. rate: 1,000 subscriptions with a metered add-on and 1,000,000 usage events between them, all
 *      falling due at once; this process plays the worker and runs the billing run. Printed: the time
 *      to rate every event into the renewal invoices. Checked: every event billed once, each invoice's
 *      usage line priced by its package model.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, count, eq, sql, sum } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { customers, invoiceLines, invoices, prices, subscriptionItems, subscriptions, usageEvents, users } from '@/db/schema';
import { seedCatalog, seedTaxRates } from '@/db/seed';
import { parseConfig } from '@/lib/config/schema';
import { runBilling } from '@/lib/invoices/billing-run';
import { startQueue } from '@/lib/jobs/queue';
import { createApiKey } from '@/lib/usage/api-keys';
import { runOpenLoop, type LoadResult } from './support/load';
import { startBenchPostgres } from './support/postgres';
import { startWebhookServer, startWeb } from './support/processes';

const WEB_PORT = 3290;
const INGEST_PORT = 3291;
const DUPLICATE_SHARE = 0.1;
const SUBSCRIPTIONS_FOR_INGEST = 200;
const RATE_SUBSCRIPTIONS = 1000;
const RATE_EVENTS = 1_000_000;

async function openBenchDatabase(url: string): Promise<DatabaseHandle> {
  const parsed = parseConfig({ DATABASE_URL: url, APP_URL: 'http://localhost:3000' });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const handle = await openDatabase(parsed.config.database);
  await runMigrations(handle);
  await seedCatalog(handle.db);
  await seedTaxRates(handle.db);
  return handle;
}

/** `n` monthly Starter subscriptions with the API-calls add-on, their period ending at `periodEnd`. */
async function meteredSubscriptions(handle: DatabaseHandle, n: number, periodEnd: Date): Promise<string[]> {
  const { db } = handle;
  const [plan] = await db.select().from(prices).where(eq(prices.lookupKey, 'starter_month_usd'));
  const [addOn] = await db.select().from(prices).where(eq(prices.lookupKey, 'api_calls_month_usd'));
  // Anchored on the period end, a calendar month long.
  const periodStart = new Date(periodEnd);
  periodStart.setUTCMonth(periodStart.getUTCMonth() - 1);
  const rows = Array.from({ length: n }, (_, i) => ({ i, userId: randomUUID(), customerId: randomUUID(), subscriptionId: randomUUID() }));
  for (let at = 0; at < rows.length; at += 1000) {
    const part = rows.slice(at, at + 1000);
    await db.transaction(async (tx) => {
      await tx.insert(users).values(part.map((r) => ({ id: r.userId, email: `usage-${r.i}-${r.userId}@example.com`, name: `Usage ${r.i}` })));
      await tx.insert(customers).values(part.map((r) => ({ id: r.customerId, userId: r.userId, email: `usage-${r.i}-${r.userId}@example.com`, country: 'US', region: 'OR', postalCode: '97201' })));
      await tx.insert(subscriptions).values(
        part.map((r) => ({ id: r.subscriptionId, customerId: r.customerId, productId: plan.productId, priceId: plan.id, quantity: 1, status: 'active' as const, provider: 'stripe' as const, currentPeriodStart: periodStart, currentPeriodEnd: periodEnd, billingCycleAnchor: periodEnd, createdAt: periodStart })),
      );
      await tx.insert(subscriptionItems).values(part.map((r) => ({ subscriptionId: r.subscriptionId, priceId: addOn.id, meterId: addOn.meterId! })));
    });
  }
  return rows.map((r) => r.subscriptionId);
}

function eventFactory(subscriptionIds: string[], apiKey: string, batchSize: number) {
  const sent: string[] = [];
  const distinct = new Set<string>();
  let n = 0;
  const run = randomBytes(4).toString('hex');
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const next = () => {
    if (sent.length > 0 && Math.random() < DUPLICATE_SHARE) return { body: sent[Math.floor(Math.random() * sent.length)], headers };
    const events = Array.from({ length: batchSize }, () => {
      const key = `bench-${run}-${++n}`;
      distinct.add(key);
      return { subscription: subscriptionIds[n % subscriptionIds.length], meter: 'api_calls', quantity: 1 + (n % 7), timestamp: new Date().toISOString(), idempotency_key: key };
    });
    const body = JSON.stringify(batchSize === 1 ? events[0] : { events });
    sent.push(body);
    return { body, headers };
  };
  return { next, distinct };
}

/** Events/s in accepted requests (repeats included) and new events/s (distinct keys: repeats excluded). */
function report(label: string, result: LoadResult, eventsPerRequest: number, newEvents: number, seconds: number): void {
  const events = result.achievedPerSecond * eventsPerRequest;
  console.log(
    `${label.padEnd(34)} sent ${String(result.sent).padStart(6)} requests, ${String(result.errors).padStart(4)} errors; ${String(events).padStart(6)} events/s accepted, ${String(Math.round(newEvents / seconds)).padStart(6)} of them new; p50 ${String(result.p50).padStart(6)} ms, p99 ${String(result.p99).padStart(6)} ms, max ${result.max} ms`,
  );
}

async function ingest(databaseUrl: string): Promise<void> {
  const handle = await openBenchDatabase(databaseUrl);
  const subscriptionIds = await meteredSubscriptions(handle, SUBSCRIPTIONS_FOR_INGEST, new Date(Date.now() + 10 * 86_400_000));
  const [admin] = await handle.db.insert(users).values({ email: `bench-admin-${randomUUID()}@example.com`, name: 'Bench', role: 'admin' }).returning();
  const { key } = await createApiKey(handle.db, { name: 'bench', createdBy: admin.id });
  const distinct = new Set<string>();
  const phase = async (target: URL[], label: string, rate: number, seconds: number, batchSize: number) => {
    const factory = eventFactory(subscriptionIds, key, batchSize);
    const started = performance.now();
    const result = await runOpenLoop(target, rate, seconds, factory.next);
    factory.distinct.forEach((k) => distinct.add(k));
    report(label, result, batchSize, factory.distinct.size, (performance.now() - started) / 1000);
  };
  try {
    const env = { DATABASE_URL: databaseUrl, WORKERS: 'off', APP_URL: `http://localhost:${WEB_PORT}` };
    const web = await startWeb(env, WEB_PORT);
    const next = [new URL(`http://127.0.0.1:${WEB_PORT}/api/usage/events`)];
    console.log('\n== ingestion: POST /api/usage/events, durable PostgreSQL 15, 10% repeated requests');
    console.log('-- the Next.js route, one web process');
    await phase(next, 'warm-up, single events 100/s', 100, 5, 1);
    for (const rate of [200, 300]) await phase(next, `single events, ${rate} requests/s`, rate, 10, 1);
    for (const rate of [10, 20, 30, 40]) await phase(next, `batches of 100, ${rate} requests/s`, rate, 10, 100);
    await web.stop();

    const server = await startWebhookServer(env, INGEST_PORT);
    const plain = [new URL(`http://127.0.0.1:${INGEST_PORT}/api/usage/events`)];
    console.log('-- the plain Node ingest server (npm run webhooks), one process');
    await phase(plain, 'warm-up, single events 200/s', 200, 5, 1);
    for (const rate of [500, 1000, 1500, 2000, 2500]) await phase(plain, `single events, ${rate} requests/s`, rate, 10, 1);
    for (const rate of [20, 30, 40, 60]) await phase(plain, `batches of 100, ${rate} requests/s`, rate, 10, 100);
    await server.stop();

    const [{ stored }] = await handle.db.select({ stored: count() }).from(usageEvents);
    console.log(`check: ${stored} events stored for ${distinct.size} distinct idempotency keys sent: ${stored === distinct.size ? 'ok' : 'MISMATCH'}`);
    if (stored !== distinct.size) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

async function rate(databaseUrl: string): Promise<void> {
  const handle = await openBenchDatabase(databaseUrl);
  const { db } = handle;
  const boss = await startQueue(handle, { schedule: false });
  try {
    const due = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const subscriptionIds = await meteredSubscriptions(handle, RATE_SUBSCRIPTIONS, due);
    const [{ meterId }] = await db.select({ meterId: prices.meterId }).from(prices).where(eq(prices.lookupKey, 'api_calls_month_usd'));
    const loadStarted = performance.now();
    // 1,000 events per subscription, spread over the period, in statements of 100,000.
    const perSubscription = RATE_EVENTS / RATE_SUBSCRIPTIONS;
    for (let from = 0; from < RATE_EVENTS; from += 100_000) {
      await db.execute(sql`
        insert into ${usageEvents} (subscription_id, meter_id, quantity, occurred_at, idempotency_key)
        select (${sql.raw(`array[${subscriptionIds.map((id) => `'${id}'::uuid`).join(',')}]`)})[1 + (g % ${sql.raw(String(RATE_SUBSCRIPTIONS))})], ${meterId}::uuid, 1,
               ${due.toISOString()}::timestamptz - ((1 + g % 2000000) * interval '1 second'), 'rate-' || g
        from generate_series(${sql.raw(String(from))}, ${sql.raw(String(from + 100_000 - 1))}) as g`);
    }
    await db.execute(sql`analyze ${usageEvents}`);
    console.log(`\n== rating: ${RATE_EVENTS.toLocaleString('en-US')} events over ${RATE_SUBSCRIPTIONS} subscriptions (${perSubscription} each), loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

    const started = performance.now();
    const result = await runBilling({ db, boss, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: [] }, settings: { trialEndWithoutPaymentMethod: 'pause', retriesExhausted: 'cancel', retryDays: [3, 7, 14] } }, new Date(due.getTime() + 1000));
    const seconds = (performance.now() - started) / 1000;
    console.log(`billing run: ${result.invoiced} subscriptions renewed with their usage rated in ${seconds.toFixed(1)} s (target: under 30 s)`);

    const [{ quantity, lines }] = await db
      .select({ quantity: sum(invoiceLines.quantity), lines: count() })
      .from(invoiceLines)
      .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
      .where(and(eq(invoiceLines.kind, 'usage'), eq(invoices.billingReason, 'subscription_cycle')));
    const [{ wrong }] = await db.select({ wrong: count() }).from(invoiceLines).where(and(eq(invoiceLines.kind, 'usage'), sql`${invoiceLines.amount} <> ceil(${invoiceLines.quantity} / 1000.0) * 200`));
    const ok = Number(quantity) === RATE_EVENTS && lines === RATE_SUBSCRIPTIONS && wrong === 0 && result.invoiced === RATE_SUBSCRIPTIONS;
    console.log(`check: ${lines} usage lines, ${Number(quantity).toLocaleString('en-US')} units billed, ${wrong} priced wrong: ${ok ? 'ok' : 'MISMATCH'}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await boss.stop({ graceful: false, timeout: 2000 });
    await handle.close();
  }
}

const parts = process.argv.slice(2);
const postgresServer = await startBenchPostgres({ durable: true });
try {
  if (parts.length === 0 || parts.includes('ingest')) await ingest(await postgresServer.freshDatabase('bench_usage_ingest'));
  if (parts.length === 0 || parts.includes('rate')) await rate(await postgresServer.freshDatabase('bench_usage_rate'));
} finally {
  postgresServer.stop();
}
