/**
 * `npm run webhooks`: the webhook and usage ingestion endpoints alone on a plain Node server
 * (WEBHOOKS_PORT, default 3001), for high volume. Route /api/webhooks/* and /api/usage/events to it at
 * the proxy. Needs PostgreSQL, like the worker.
 */
import { ConfigError, getConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { bootRuntime } from '@/lib/runtime';
import { createWebhookIngestServer } from '@/lib/webhooks/ingest-server';

async function main() {
  const config = getConfig();
  if (config.database.kind !== 'postgres') {
    console.error('npm run webhooks needs DATABASE_URL: the embedded database (PGlite) serves a single process, where the Next.js routes receive webhooks themselves.');
    process.exit(1);
  }
  const port = Number(process.env.WEBHOOKS_PORT ?? 3001);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`WEBHOOKS_PORT: expected a port number, got ${process.env.WEBHOOKS_PORT}`);
    process.exit(1);
  }
  const runtime = await bootRuntime({ workers: false, config });
  const server = createWebhookIngestServer({ db: runtime.db, storeEvent: runtime.storeWebhookEvent, config });
  server.keepAliveTimeout = 65_000;
  server.listen(port, () => log.info('webhook server listening', { port }));
  const stop = () =>
    server.close(async () => {
      await runtime.stop();
      process.exit(0);
    });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
