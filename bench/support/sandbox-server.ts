/**
 * The provider sandbox in its own process for benchmarks, with fresh state and no webhook delivery
 * (nothing is listening for them): prints `port N` once it listens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '@/sandbox/server';

const sandbox = await startSandbox({ port: 0, stateDir: mkdtempSync(path.join(tmpdir(), 'bench-sandbox-')), appUrl: '' });
console.log(`port ${sandbox.port}`);
process.on('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
