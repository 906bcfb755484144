/** `npm run sandbox`: runs the provider sandbox on its own (settings from the environment). */
import { assertNotProduction, SandboxSettingsError } from './core/settings';
import { startSandbox } from './server';

async function main(): Promise<void> {
  try {
    assertNotProduction();
  } catch (err) {
    console.error(`[sandbox] ${(err as Error).message}`);
    process.exit(1);
  }
  let sandbox;
  try {
    const quiet = process.env.SANDBOX_LOG === 'false';
    sandbox = await startSandbox(quiet ? {} : { log: (line) => console.log(`[sandbox] ${line}`) });
  } catch (err) {
    if (err instanceof SandboxSettingsError) console.error(`[sandbox] ${err.message}`);
    else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      console.error('[sandbox] the port is in use: set SANDBOX_PORT to a free port, or stop the other sandbox.');
    else console.error('[sandbox] failed to start:', err);
    process.exit(1);
  }
  console.log(`[sandbox] listening on ${sandbox.origin} (Stripe API at the root; control surface at ${sandbox.origin}/_sandbox)`);
  console.log(`[sandbox] state in ${sandbox.settings.stateDir}; webhooks to ${sandbox.settings.appUrl}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[sandbox] ${signal}: shutting down`);
    sandbox
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error('[sandbox] shutdown failed:', err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
