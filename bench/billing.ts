/**
 * `npm run bench:billing [-- N ...]` (default: 1000 10000): N monthly subscriptions, each with a saved
 * card at the Stripe sandbox, fall due at the same instant on a durable PostgreSQL 15 (fsync on).
 * This process plays the worker (`npm run worker`): the billing run renews them all (invoice, period,
 * number, tax, charge job) while the app's charge workers collect each invoice off-session from the
 * sandbox, which runs in a process of its own. Printed: the time until every invoice exists and until
 * every invoice is paid, then the run is checked: one invoice per subscription, gapless numbers, one
 * succeeded payment each, every subscription renewed. Emails are queued in the outbox (the email
 * worker, not running here, sends them).
 */
import { randomUUID } from 'node:crypto';
import { and, count, countDistinct, eq, max, sum } from 'drizzle-orm';
import { openDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { customers, invoices, paymentMethods, payments, prices, providerCustomers, subscriptions, users } from '@/db/schema';
import { seedCatalog, seedTaxRates } from '@/db/seed';
import { parseConfig } from '@/lib/config/schema';
import { runBilling } from '@/lib/invoices/billing-run';
import { startQueue } from '@/lib/jobs/queue';
import { workInvoiceCharges } from '@/lib/jobs/workers';
import { createGateways } from '@/lib/payments/gateways';
import { startBenchPostgres } from './support/postgres';
import { processCpuSeconds, postgresCpuSeconds } from './support/cpu';
import { startSandboxProcess } from './support/processes';

const SETUP_CONCURRENCY = 32;
const INSERT_CHUNK = 1000;
const PAID_TIMEOUT_MS = 15 * 60_000;

/** Runs `task` for 0..n-1 with at most `limit` at once. */
async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await task(next++);
  }));
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) out.push(rows.slice(i, i + INSERT_CHUNK));
  return out;
}

interface Figures {
  n: number;
  setupSeconds: number;
  invoicedSeconds: number;
  paidSeconds: number;
  /** CPU time per subscription in this process (the worker), the sandbox and PostgreSQL. */
  cpuMsPerSubscription: { app: number; sandbox: number; postgres: number };
}

async function benchmark(n: number, databaseUrl: string): Promise<Figures> {
  const sandbox = await startSandboxProcess();
  const parsed = parseConfig({ DATABASE_URL: databaseUrl, SANDBOX_PORT: String(sandbox.port), APP_URL: 'http://localhost:3000' });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const config = parsed.config;
  const handle = await openDatabase(config.database);
  const { db } = handle;
  try {
    await runMigrations(handle);
    await seedCatalog(db);
    await seedTaxRates(db);
    const gateways = createGateways(config);
    const [price] = await db.select().from(prices).where(eq(prices.lookupKey, 'starter_month_usd'));

    // Setup: customers with a card saved for off-session use at the sandbox, and their rows here.
    const setupStarted = performance.now();
    const cards: Array<{ customer: string; paymentMethod: string }> = new Array(n);
    await pool(n, SETUP_CONCURRENCY, async (i) => {
      const customer = await gateways.stripe.customers.create({ email: `bench-${i}@example.com` });
      const setup = await gateways.stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_card_visa', confirm: true, usage: 'off_session' });
      cards[i] = { customer: customer.id, paymentMethod: setup.payment_method as string };
    });
    const due = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const periodStart = new Date(due.getTime() - 30 * 24 * 60 * 60 * 1000);
    for (const part of chunks(cards.map((card, i) => ({ ...card, i, userId: randomUUID(), customerId: randomUUID() })))) {
      await db.transaction(async (tx) => {
        await tx.insert(users).values(part.map((c) => ({ id: c.userId, email: `bench-${c.i}@example.com`, name: `Bench ${c.i}` })));
        await tx.insert(customers).values(part.map((c) => ({ id: c.customerId, userId: c.userId, email: `bench-${c.i}@example.com`, billingName: `Bench ${c.i}`, country: 'US', region: 'NY', postalCode: '10001' })));
        await tx.insert(providerCustomers).values(part.map((c) => ({ customerId: c.customerId, provider: 'stripe' as const, providerCustomerId: c.customer })));
        await tx.insert(paymentMethods).values(part.map((c) => ({ customerId: c.customerId, provider: 'stripe' as const, providerPaymentMethodId: c.paymentMethod, summary: { type: 'card' as const, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034 }, isDefault: true })));
        await tx.insert(subscriptions).values(part.map((c) => ({ customerId: c.customerId, productId: price.productId, priceId: price.id, quantity: 1, status: 'active' as const, provider: 'stripe' as const, currentPeriodStart: periodStart, currentPeriodEnd: due, billingCycleAnchor: due })));
      });
    }
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    // Timed: the billing run and the charge workers, as in the worker process.
    const boss = await startQueue(handle, { schedule: false });
    const deps = { db, boss, gateways, appUrl: config.appUrl, tax: config.tax, settings: config.billing };
    await workInvoiceCharges(boss, deps);
    const cpuBefore = { app: process.cpuUsage(), sandbox: processCpuSeconds(sandbox.process.pid!), postgres: postgresCpuSeconds() };
    const started = performance.now();
    const run = await runBilling(deps, new Date(due.getTime() + 1000));
    const invoicedSeconds = (performance.now() - started) / 1000;
    if (run.invoiced !== n) throw new Error(`the billing run invoiced ${run.invoiced} of ${n} subscriptions`);
    for (;;) {
      const [{ paid }] = await db.select({ paid: count() }).from(invoices).where(eq(invoices.status, 'paid'));
      if (paid === n) break;
      if (performance.now() - started > PAID_TIMEOUT_MS) throw new Error(`only ${paid} of ${n} invoices paid after ${PAID_TIMEOUT_MS / 60_000} minutes`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const paidSeconds = (performance.now() - started) / 1000;
    const appCpu = process.cpuUsage(cpuBefore.app);
    const cpuMsPerSubscription = {
      app: (appCpu.user + appCpu.system) / 1000 / n,
      sandbox: ((processCpuSeconds(sandbox.process.pid!) - cpuBefore.sandbox) * 1000) / n,
      postgres: ((postgresCpuSeconds() - cpuBefore.postgres) * 1000) / n,
    };
    await boss.stop({ graceful: true, timeout: 30_000 });

    // Checked: every period billed once, numbers gapless, every invoice paid by one payment.
    const [check] = await db
      .select({ invoices: count(), subscriptions: countDistinct(invoices.subscriptionId), numbers: countDistinct(invoices.number), lastNumber: max(invoices.number), collected: sum(invoices.amountPaid), owed: sum(invoices.amountDue) })
      .from(invoices);
    const [{ succeeded }] = await db.select({ succeeded: count() }).from(payments).where(and(eq(payments.status, 'succeeded'), eq(payments.provider, 'stripe')));
    const [{ renewed }] = await db.select({ renewed: count() }).from(subscriptions).where(and(eq(subscriptions.status, 'active'), eq(subscriptions.currentPeriodStart, due)));
    const problems = [
      check.invoices !== n && `${check.invoices} invoices`,
      check.subscriptions !== n && `${check.subscriptions} subscriptions invoiced`,
      check.numbers !== n && `${check.numbers} distinct numbers`,
      !check.lastNumber?.endsWith(`-${String(n).padStart(6, '0')}`) && `last number ${check.lastNumber}`,
      check.collected !== check.owed && `collected ${check.collected} of ${check.owed}`,
      succeeded !== n && `${succeeded} succeeded payments`,
      renewed !== n && `${renewed} subscriptions renewed`,
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`N=${n}: ${problems.join(', ')} (expected ${n} each)`);
    return { n, setupSeconds, invoicedSeconds, paidSeconds, cpuMsPerSubscription };
  } finally {
    await handle.close();
    await sandbox.stop();
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes) if (!Number.isSafeInteger(n) || n < 1) throw new Error(`usage: npm run bench:billing [-- N ...] (positive integers), got ${process.argv.slice(2).join(' ')}`);
  const postgres = await startBenchPostgres({ durable: true });
  const rows: Figures[] = [];
  try {
    for (const n of sizes.length > 0 ? sizes : [1000, 10_000]) {
      const figures = await benchmark(n, await postgres.freshDatabase(`bench_billing_${n}`));
      rows.push(figures);
      console.log(`N=${n}: set up in ${figures.setupSeconds.toFixed(1)} s; all invoiced in ${figures.invoicedSeconds.toFixed(1)} s, all paid in ${figures.paidSeconds.toFixed(1)} s (${Math.round(n / figures.paidSeconds)} subscriptions/s); CPU per subscription: worker ${figures.cpuMsPerSubscription.app.toFixed(1)} ms, sandbox ${figures.cpuMsPerSubscription.sandbox.toFixed(1)} ms, PostgreSQL ${figures.cpuMsPerSubscription.postgres.toFixed(1)} ms`);
    }
  } finally {
    postgres.stop();
  }
  console.log('\n| N | all invoiced | all invoiced and paid | subscriptions/s | s per 1,000 |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.n.toLocaleString('en-US')} | ${r.invoicedSeconds.toFixed(1)} s | ${r.paidSeconds.toFixed(1)} s | ${Math.round(r.n / r.paidSeconds)} | ${((r.paidSeconds / r.n) * 1000).toFixed(2)} |`);
}

await main();
process.exit(0);
