/** Small HTTP helpers for the PayPal half: body reading, JSON answers, a route table. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidRequest, PaypalApiError } from './errors';

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text body (HTML, JavaScript, PEM); `body` is ignored when set. */
  text?: string;
  contentType?: string;
}

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  rawBody: string;
  /** The client id the bearer token belongs to (set for authenticated routes). */
  clientId?: string;
  /** Parses the JSON body or throws INVALID_REQUEST / MALFORMED_REQUEST_JSON. */
  json(): Record<string, unknown>;
  header(name: string): string | undefined;
}

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  auth: boolean;
  /** Responses are replayed for a repeated PayPal-Request-Id. */
  idempotent?: boolean;
  /** Documentation section of error links, e.g. `orders/v2`. */
  api: string;
  handle(ctx: RouteContext): Promise<ApiResponse> | ApiResponse;
}

export function route(
  method: string,
  path: string,
  handle: Route['handle'],
  options: { auth?: boolean; idempotent?: boolean; api?: string } = {},
): Route {
  const keys: string[] = [];
  const source = path.replace(/:([a-zA-Z_]+)/g, (_m, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return {
    method,
    pattern: new RegExp(`^${source}/?$`),
    keys,
    auth: options.auth ?? true,
    idempotent: options.idempotent,
    api: options.api ?? 'orders/v2',
    handle,
  };
}

export function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new PaypalApiError('INVALID_REQUEST', [{ issue: 'INVALID_STRING_LENGTH', field: 'body', location: 'body' }]));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJsonObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidRequest([{ issue: 'MALFORMED_REQUEST_JSON', location: 'body' }]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidRequest([{ issue: 'MALFORMED_REQUEST_JSON', location: 'body' }]);
  }
  return parsed as Record<string, unknown>;
}

export function send(res: ServerResponse, response: ApiResponse): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...response.headers };
  if (response.text !== undefined) {
    headers['content-type'] = response.contentType ?? 'text/plain; charset=utf-8';
    res.writeHead(response.status, headers);
    res.end(response.text);
    return;
  }
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  headers['content-type'] = response.contentType ?? 'application/json';
  res.writeHead(response.status, headers);
  res.end(JSON.stringify(response.body));
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): ApiResponse => ({ status, body, headers });
