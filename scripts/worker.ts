/**
 * `npm run worker`: job workers in their own process, for scale-out beside web processes started with
 * WORKERS=off. Needs PostgreSQL: the embedded database serves one process.
 */
import { ConfigError, getConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { bootRuntime } from '@/lib/runtime';

async function main() {
  const config = getConfig();
  if (config.database.kind !== 'postgres') {
    console.error('npm run worker needs DATABASE_URL: the embedded database (PGlite) serves a single process, where the web process runs the workers itself.');
    process.exit(1);
  }
  const runtime = await bootRuntime({ workers: true, config });
  log.info('worker process running');
  const stop = async () => {
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
