/**
 * `npm run dev` / `npm start`: checks the settings, starts the provider sandbox beside the app in
 * sandbox mode (reusing one already listening on SANDBOX_PORT), then runs Next.js. Either process
 * ending ends the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import nextEnv from '@next/env';
import { parseConfig, formatConfigProblems } from '@/lib/config/schema';

const [command = 'dev', ...nextArgs] = process.argv.slice(2);
if (command !== 'dev' && command !== 'start') {
  console.error('usage: tsx scripts/launch.ts dev|start [next options]');
  process.exit(2);
}
nextEnv.loadEnvConfig(process.cwd(), command === 'dev');
process.env.NEXT_TELEMETRY_DISABLED = '1';

const result = parseConfig(process.env);
if (!result.ok) {
  console.error(formatConfigProblems(result.problems));
  process.exit(1);
}
const config = result.config;
const children: ChildProcess[] = [];

function run(cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'inherit', env: process.env });
  children.push(child);
  child.on('exit', (code, signal) => shutdown(code ?? (signal ? 1 : 0)));
  return child;
}

let exiting = false;
function shutdown(code: number) {
  if (exiting) return;
  exiting = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function sandboxAnswers(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/_sandbox/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function main() {
  if (config.sandbox) {
    const { origin } = config.sandbox;
    if (await sandboxAnswers(origin)) {
      console.log(`[launch] using the sandbox already running at ${origin}`);
    } else {
      run(process.execPath, ['--import', 'tsx', 'sandbox/main.ts']);
      const deadline = Date.now() + 30_000;
      while (!(await sandboxAnswers(origin))) {
        if (exiting) return;
        if (Date.now() > deadline) {
          console.error(`[launch] the sandbox did not answer at ${origin} within 30 s`);
          return shutdown(1);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  run(process.execPath, [createRequire(import.meta.url).resolve('next/dist/bin/next'), command, ...nextArgs]);
}

void main();
