/** An open-loop load generator: sends at a fixed rate whatever the latency, and records each acknowledgement. */
import http from 'node:http';

export interface LoadResult {
  rate: number;
  seconds: number;
  sent: number;
  accepted: number;
  errors: number;
  achievedPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Sends `rate` requests per second for `seconds`, spreading them over `targets` round robin. */
export async function runOpenLoop(
  targets: URL[],
  rate: number,
  seconds: number,
  next: () => { body: string; headers: Record<string, string> },
): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let accepted = 0;
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { body, headers } = next();
    const sentAt = performance.now();
    pending.push(
      post(targets[i % targets.length], body, headers).then((status) => {
        latencies.push(performance.now() - sentAt);
        if (status >= 200 && status < 300) accepted++;
        else errors++;
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rate,
    seconds,
    sent: total,
    accepted,
    errors,
    achievedPerSecond: Math.round(accepted / elapsed),
    p50: Number(percentile(latencies, 50).toFixed(1)),
    p99: Number(percentile(latencies, 99).toFixed(1)),
    max: Number(latencies[latencies.length - 1].toFixed(1)),
  };
}
