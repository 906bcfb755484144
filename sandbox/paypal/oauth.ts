/**
 * OAuth 2.0 client credentials (`POST /v1/oauth2/token`, Basic auth, `grant_type=client_credentials`) and
 * the bearer check every other call makes. Tokens expire after `expires_in` seconds of sandbox time.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SandboxClock, SandboxSettings } from '../core/contracts';
import { authFailure } from './errors';
import type { ApiResponse } from './http';
import type { PaypalStore } from './state';
import { isoTime } from './state';

export const TOKEN_LIFETIME_SECONDS = 32_400;
const SCOPES = [
  'https://uri.paypal.com/services/payments/payment',
  'https://uri.paypal.com/services/payments/refund',
  'https://uri.paypal.com/services/payments/orders/client_sdk_orders_api',
  'https://uri.paypal.com/services/vault/payment-tokens/read',
  'https://uri.paypal.com/services/vault/payment-tokens/readwrite',
  'https://uri.paypal.com/services/applications/webhooks',
  'https://uri.paypal.com/services/disputes/read-seller',
  'https://uri.paypal.com/services/disputes/update-seller',
].join(' ');

const oauthError = (status: number, error: string, description: string): ApiResponse => ({
  status,
  body: { error, error_description: description },
});

export function issueToken(store: PaypalStore, clock: SandboxClock, clientId: string): { token: string; expiresIn: number } {
  const token = `A21AA${randomBytes(48).toString('base64url')}`;
  store.transaction((s) => {
    // Forget long-expired tokens so the state file does not grow without bound.
    for (const [key, value] of Object.entries(s.tokens)) if (value.expiresAt < clock.now() - 86_400_000) delete s.tokens[key];
    s.tokens[token] = { clientId, expiresAt: clock.now() + TOKEN_LIFETIME_SECONDS * 1000 };
  });
  return { token, expiresIn: TOKEN_LIFETIME_SECONDS };
}

/** `POST /v1/oauth2/token` */
export function tokenEndpoint(
  req: IncomingMessage,
  rawBody: string,
  settings: SandboxSettings,
  store: PaypalStore,
  clock: SandboxClock,
): ApiResponse {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return oauthError(401, 'invalid_client', 'Client Authentication failed');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  const id = sep >= 0 ? decoded.slice(0, sep) : decoded;
  const secret = sep >= 0 ? decoded.slice(sep + 1) : '';
  if (id !== settings.paypal.clientId || secret !== settings.paypal.clientSecret) {
    return oauthError(401, 'invalid_client', 'Client Authentication failed');
  }
  const form = new URLSearchParams(rawBody);
  const grant = form.get('grant_type');
  if (!grant) return oauthError(400, 'unsupported_grant_type', 'Grant Type is NULL');
  if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'unsupported grant_type');
  const { token, expiresIn } = issueToken(store, clock, id);
  return {
    status: 200,
    body: {
      scope: SCOPES,
      access_token: token,
      token_type: 'Bearer',
      app_id: 'APP-80W284485P519543T',
      expires_in: expiresIn,
      nonce: `${isoTime(clock.now())}${randomBytes(24).toString('base64url')}`,
    },
  };
}

/** Returns the client id of a valid bearer token, or throws 401 AUTHENTICATION_FAILURE. */
export function authenticate(req: IncomingMessage, store: PaypalStore, clock: SandboxClock): string {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) throw authFailure();
  const record = store.state.tokens[match[1]];
  if (!record || record.expiresAt <= clock.now()) throw authFailure();
  return record.clientId;
}

/** Control: make every issued token expired now (the app must fetch a new one). */
export function expireAllTokens(store: PaypalStore, clock: SandboxClock): number {
  return store.transaction((s) => {
    let n = 0;
    for (const t of Object.values(s.tokens)) {
      if (t.expiresAt > clock.now()) {
        t.expiresAt = clock.now();
        n++;
      }
    }
    return n;
  });
}
