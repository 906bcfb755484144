/** Starting the production build (through the README's launcher) and worker processes for benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Started {
  process: ChildProcess;
  stop(): Promise<void>;
}

function started(child: ChildProcess): Started {
  return {
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startWeb(env: Record<string, string>, port: number): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/launch.ts', 'start', '-p', String(port)], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHttp(`http://127.0.0.1:${port}/api/health`);
  return started(child);
}

export async function startWorker(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return started(child);
}

/** The plain Node webhook server (`npm run webhooks`) on `port`. */
export async function startWebhookServer(env: Record<string, string>, port: number): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/webhooks-server.ts'], {
    env: { ...process.env, ...env, WEBHOOKS_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHttp(`http://127.0.0.1:${port}/health`);
  return started(child);
}

/** The provider sandbox in a process of its own (fresh state, no webhook delivery); resolves with its port. */
export async function startSandboxProcess(): Promise<Started & { port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/sandbox-server.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code} before listening`)));
  });
  child.stdout!.resume();
  return { ...started(child), port };
}
