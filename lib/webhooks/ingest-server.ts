/**
 * The high-volume inbound endpoints on a plain Node HTTP server, for deployments where their volume
 * outgrows the Next.js process: the webhooks (/api/webhooks/stripe, /api/webhooks/paypal) and usage
 * ingestion (/api/usage/events), on the same paths with the same handling (handleWebhook,
 * handleUsageRequest), without the framework's per-request cost. A reverse proxy sends those paths
 * here; everything else stays with Next.js.
 */
import http from 'node:http';
import type { AppConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { handleWebhook, type WebhookEndpointDeps } from './endpoint';
import { handleUsageRequest, MAX_USAGE_BODY_BYTES } from '@/lib/usage/http';
import { MAX_WEBHOOK_BODY_BYTES } from './http';
import { paypalVerifier, stripeVerifier } from './verifiers';

const PATH = /^\/api\/(?:webhooks\/(stripe|paypal)|usage\/(events))\/?(?:\?.*)?$/;

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** The body, stopping one byte past the limit (the handler then answers 413) rather than buffering an attacker's gigabyte. */
function readBounded(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) resolve(Buffer.concat(chunks));
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createWebhookIngestServer(deps: WebhookEndpointDeps & { config: AppConfig }): http.Server {
  const verifiers = { stripe: stripeVerifier(deps.config), paypal: paypalVerifier(deps.config) };
  return http.createServer(async (req, res) => {
    try {
      // For the load balancer: the process is up (the database is checked by every event).
      if (req.url === '/health' && req.method === 'GET') return json(res, 200, { ok: true });
      const match = PATH.exec(req.url ?? '');
      if (!match) return json(res, 404, { error: 'Not found: this server answers /api/webhooks/stripe, /api/webhooks/paypal, /api/usage/events and /health only.' });
      if (req.method !== 'POST') return json(res, 405, { error: 'Use POST.' }, { allow: 'POST' });
      const provider = match[1] as 'stripe' | 'paypal' | undefined;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) headers.set(name, value.join(', '));
      }
      const body = await readBounded(req, provider ? MAX_WEBHOOK_BODY_BYTES : MAX_USAGE_BODY_BYTES);
      const request = new Request(`http://ingest${req.url}`, { method: 'POST', headers, body: new Uint8Array(body) });
      const response = provider ? await handleWebhook(deps, provider, request, verifiers[provider]) : await handleUsageRequest(deps.db, request, new Date());
      res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text());
    } catch (error) {
      log.error('ingest failed', { error, url: req.url });
      if (!res.headersSent) json(res, 500, { error: 'Internal error; nothing was stored, retry.' });
    }
  });
}
