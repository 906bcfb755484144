/**
 * Start-up of a server process: checks the settings, stopping with one message that names every bad
 * one, then opens, migrates and seeds the database and starts the job workers.
 */
import { ConfigError, getConfig } from './config';
import { getRuntime } from './runtime';

export async function startServerRuntime(): Promise<void> {
  try {
    getConfig();
    await getRuntime();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `The app could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
