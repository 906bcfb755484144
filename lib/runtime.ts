/**
 * The process's runtime: settings, database (migrated and seeded), job queue and, by default, its
 * workers. Built once per process and shared by every route, page and job through globalThis, since
 * Next.js may load this module more than once.
 */
import type { PgBoss } from 'pg-boss';
import { openDatabase, type Database, type DatabaseHandle } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { DEMO_COUPON_CODE, promoteAdmins, seedCatalog, seedDemoAccounts, seedDemoCoupon, seedTaxRates } from '@/db/seed';
import { getConfig, type AppConfig } from '@/lib/config';
import { startQueue } from '@/lib/jobs/queue';
import { startWorkers } from '@/lib/jobs/workers';
import { log } from '@/lib/log';
import { createGateways, type Gateways } from '@/lib/payments/gateways';
import { createEventBatcher, type ReceiveOutcome, type VerifiedEvent } from '@/lib/webhooks/receive';

export interface Runtime {
  config: AppConfig;
  database: DatabaseHandle;
  db: Database;
  boss: PgBoss;
  gateways: Gateways;
  /** Verified webhook events go through this process's batcher (lib/webhooks/receive). */
  storeWebhookEvent: (event: VerifiedEvent) => Promise<ReceiveOutcome>;
  workersRunning: boolean;
  stop(): Promise<void>;
}

const RUNTIME = Symbol.for('billing.runtime');
type Holder = { [RUNTIME]?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[RUNTIME] ??= bootRuntime({ workers: getConfig().workersInProcess }).catch((error) => {
    delete holder[RUNTIME];
    throw error;
  });
  return holder[RUNTIME];
}

export async function bootRuntime(options: { workers: boolean; config?: AppConfig }): Promise<Runtime> {
  const config = options.config ?? getConfig();
  const database = await openDatabase(config.database);
  try {
    await runMigrations(database);
    await seedTaxRates(database.db);
    await seedCatalogIfWanted(database.db, config);
    const boss = await startQueue(database, { schedule: options.workers });
    const gateways = createGateways(config);
    if (options.workers) await startWorkers(boss, database.db, config, gateways);
    log.info('runtime ready', { mode: config.mode, database: database.kind, workers: options.workers });
    return {
      config,
      database,
      db: database.db,
      boss,
      gateways,
      storeWebhookEvent: createEventBatcher(database.db, boss),
      workersRunning: options.workers,
      async stop() {
        await boss.stop({ graceful: true, timeout: 10_000 });
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

async function seedCatalogIfWanted(db: Database, config: AppConfig) {
  await promoteAdmins(db, config.adminEmails);
  if (!config.seedDemoData) return;
  const seeded = await seedCatalog(db);
  if (seeded.products + seeded.prices > 0) log.info('seeded demo catalog', seeded);
  if (config.mode !== 'sandbox') return;
  await seedDemoAccounts(db, config.demoPassword);
  await seedDemoCoupon(db);
  // Printed in sandbox mode only: these accounts exist only there.
  console.log(
    [
      '',
      '  Sandbox demo accounts (password for each: ' + config.demoPassword + ')',
      '    admin@example.com     admin',
      '    support@example.com   support',
      '    customer@example.com  customer',
      `  Demo promotion code: ${DEMO_COUPON_CODE} (20% off a first invoice)`,
      '',
    ].join('\n'),
  );
}
