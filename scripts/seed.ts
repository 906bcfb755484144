/** `npm run db:seed`: migrates, then adds the tax rates and the demo catalog (and, in sandbox mode, the demo accounts and promotion code). */
import { openDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { seedCatalog, seedDemoAccounts, seedDemoCoupon, seedTaxRates } from '@/db/seed';
import { ConfigError, getConfig } from '@/lib/config';

async function main() {
  const config = getConfig();
  const handle = await openDatabase(config.database);
  try {
    await runMigrations(handle);
    console.log('tax rates added', await seedTaxRates(handle.db));
    console.log('catalog', await seedCatalog(handle.db));
    if (config.mode === 'sandbox') {
      console.log('demo accounts added', await seedDemoAccounts(handle.db, config.demoPassword));
      await seedDemoCoupon(handle.db);
    }
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
