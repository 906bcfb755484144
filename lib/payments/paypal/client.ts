/**
 * A small client for PayPal's REST API (there is no maintained official server SDK for Orders v2 in
 * Node): OAuth client-credentials tokens cached until shortly before expiry, JSON requests with
 * `PayPal-Request-Id` idempotency, and PayPal's error bodies raised as PaypalApiError.
 */
import type { AppConfig } from '@/lib/config';

export class PaypalApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
    readonly details: Array<{ issue?: string; description?: string; field?: string }> = [],
    readonly debugId?: string,
  ) {
    super(message);
    this.name = 'PaypalApiError';
  }
  get issue(): string | undefined {
    return this.details[0]?.issue;
  }
}

export interface PaypalClient {
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, options?: { body?: unknown; requestId?: string }): Promise<T>;
}

export function createPaypalClient(config: Pick<AppConfig, 'paypal'>, fetchImpl: typeof fetch = fetch): PaypalClient {
  const base = config.paypal.apiBase.replace(/\/$/, '');
  let token: { value: string; expiresAt: number } | null = null;

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt > Date.now()) return token.value;
    const response = await fetchImpl(`${base}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${config.paypal.clientId}:${config.paypal.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!response.ok || !body.access_token) {
      throw new PaypalApiError(response.status, 'AUTHENTICATION_FAILURE', body.error_description ?? 'PayPal refused the client credentials');
    }
    // Renew a minute early so a token never expires mid-request.
    token = { value: body.access_token, expiresAt: Date.now() + Math.max(0, (body.expires_in ?? 300) - 60) * 1000 };
    return token.value;
  }

  return {
    async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, options: { body?: unknown; requestId?: string } = {}): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const headers: Record<string, string> = { authorization: `Bearer ${await accessToken()}`, accept: 'application/json' };
        if (options.body !== undefined) headers['content-type'] = 'application/json';
        if (options.requestId) headers['paypal-request-id'] = options.requestId;
        const response = await fetchImpl(`${base}${path}`, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(20_000),
        });
        if (response.status === 401 && attempt === 0) {
          token = null; // expired or revoked early: one fresh token, then give up
          continue;
        }
        const text = await response.text();
        const body = text ? JSON.parse(text) : {};
        if (!response.ok) {
          throw new PaypalApiError(response.status, body.name ?? 'UNKNOWN_ERROR', body.message ?? `PayPal answered ${response.status}`, body.details ?? [], body.debug_id);
        }
        return body as T;
      }
    },
  };
}
