/** `npm run db:migrate`: applies drizzle/ migrations to the configured database and exits. */
import { openDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { ConfigError, getConfig } from '@/lib/config';

async function main() {
  const handle = await openDatabase(getConfig().database);
  try {
    await runMigrations(handle);
    console.log(`migrations applied (${handle.kind})`);
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
