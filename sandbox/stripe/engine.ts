/**
 * The Stripe API engine: authentication, form decoding, idempotency, one transaction per request (a rejected
 * request changes nothing; a declined payment keeps its record), expand[], persistence and event delivery.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxClock, SandboxSettings } from '../core/contracts';
import type { SandboxDeliverer } from '../core/deliverer';
import { BodyTooLargeError, readBody, sendJson } from '../core/http';
import { journal } from '../core/journal';
import type { JsonFileStore } from '../core/persistence';
import { API_VERSION, type StripeContext } from './context';
import { StripeApiError, idempotencyMismatch, invalidRequest, unauthorized, unknownRoute } from './errors';
import { applyExpand } from './expand';
import { FormSyntaxError, parseForm, type FormObject } from './form';
import { findEntry, idempotencySlot, paramsHash, pruneExpired } from './idempotency';
import { newRequestId } from './ids';
import { Params } from './params';
import { Router } from './router';
import { emptyState, type StripeObject, type StripeState } from './state';
import { expireDueSessions, hasDueExpirations } from './resources/checkout-sessions';
import { failDueRefunds, hasDueRefundFailures } from './resources/refunds';
import { deliverEvents } from './webhooks';

const STATE_FILE = 'stripe';
const EVENT_RETENTION_SECONDS = 30 * 24 * 60 * 60;
const MAX_EVENTS = 5_000;

export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, Stripe-Version, Idempotency-Key, Stripe-Account',
  'access-control-expose-headers': 'Request-Id, Stripe-Version, Idempotent-Replayed',
  'access-control-max-age': '300',
};

export type Auth = StripeContext['auth'];

/** The API key from `Authorization: Bearer ...` (or Basic, as curl -u sends it). */
function apiKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  if (/^Bearer /i.test(header)) return header.slice(7).trim() || undefined;
  if (/^Basic /i.test(header)) return Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0] || undefined;
  return undefined;
}

const idempotencyInProgress = (key: string) =>
  new StripeApiError(409, {
    type: 'idempotency_error',
    message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
  });

const PERSIST_DELAY_MS = 50;

export class StripeEngine {
  state: StripeState;
  /** Idempotency slots of requests still being received (a second request with the key gets 409). */
  private readonly inFlight = new Set<string>();

  constructor(
    readonly settings: SandboxSettings,
    readonly clock: SandboxClock,
    readonly deliverer: SandboxDeliverer,
    readonly router: Router,
    private readonly store: JsonFileStore,
  ) {
    this.state = { ...emptyState(), ...(store.read<StripeState>(STATE_FILE) ?? {}) };
  }

  private pendingWrite: NodeJS.Timeout | null = null;

  private lastWriteMs = 0;

  /**
   * Saves the state soon: writes are coalesced, so a burst of requests costs one serialization of the
   * whole state instead of one each. The wait grows with the time the last write took (10×), so
   * writing a large state never takes more than about a tenth of the sandbox's time. `flush` (on
   * close) writes at once.
   */
  persist(): void {
    if (this.pendingWrite) return;
    this.pendingWrite = setTimeout(() => this.flush(), Math.max(PERSIST_DELAY_MS, this.lastWriteMs * 10));
  }

  flush(): void {
    if (this.pendingWrite) clearTimeout(this.pendingWrite);
    this.pendingWrite = null;
    const started = performance.now();
    this.store.write(STATE_FILE, this.state);
    this.lastWriteMs = performance.now() - started;
  }

  reset(): void {
    this.state = emptyState();
    this.persist();
  }

  /**
   * Runs `fn` as one transaction. On an error that is not marked `commit`, the state is put back as it was
   * and no event is emitted; otherwise the state is saved and the request's events are delivered.
   */
  transact<T>(auth: Auth, request: StripeContext['request'], fn: (ctx: StripeContext) => T, mutating = true): T {
    const undo = mutating ? journal(this.state) : null;
    const ctx: StripeContext = { state: undo?.state ?? this.state, clock: this.clock, settings: this.settings, auth, request, emitted: [] };
    try {
      const result = fn(ctx);
      if (mutating) this.commit(ctx);
      return result;
    } catch (err) {
      if (err instanceof StripeApiError && err.commit) this.commit(ctx);
      else undo?.rollback();
      throw err;
    }
  }

  private commit(ctx: StripeContext): void {
    this.persist();
    deliverEvents(ctx.emitted, this.state, this.settings, this.deliverer);
  }

  /** Calls a route in-process (control surface triggers), with string form values. */
  call(method: 'GET' | 'POST' | 'DELETE', pathname: string, params: FormObject = {}): StripeObject {
    const match = this.router.match(method, pathname);
    if (!match) throw unknownRoute(method, pathname);
    return this.transact('internal', { id: null, idempotencyKey: null }, (ctx) =>
      match.route.handler(ctx, new Params(params), match.path),
    ) as StripeObject;
  }

  private authenticate(req: IncomingMessage, params: FormObject): 'secret' | 'publishable' {
    const key = apiKeyOf(req) ?? (typeof params.key === 'string' ? params.key : undefined);
    if (!key)
      throw unauthorized(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      );
    if (key === this.settings.stripe.secretKey) return 'secret';
    if (key === this.settings.stripe.publishableKey) return 'publishable';
    const redacted = key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '****';
    throw unauthorized(`Invalid API Key provided: ${redacted}`);
  }

  async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = newRequestId();
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { ...CORS_HEADERS, 'request-id': requestId, 'stripe-version': API_VERSION };
    const respond = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      sendJson(res, status, body, { ...headers, ...extra });
    const headerKey = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
    const earlySlot = headerKey ? idempotencySlot(apiKeyOf(req) ?? '', headerKey) : null;
    if (earlySlot && this.inFlight.has(earlySlot)) {
      req.resume();
      respond(409, idempotencyInProgress(headerKey!).toJSON(requestId));
      return;
    }
    if (earlySlot) this.inFlight.add(earlySlot);
    try {
      this.sweep();
      let raw: FormObject;
      try {
        const text = method === 'POST' ? await readBody(req) : '';
        raw = { ...parseForm(url.searchParams), ...parseForm(text) };
      } catch (err) {
        if (err instanceof FormSyntaxError) throw invalidRequest(err.message, err.param);
        if (err instanceof BodyTooLargeError) throw invalidRequest(err.message);
        throw err;
      }
      const auth = this.authenticate(req, raw);
      delete raw.key;
      const match = this.router.match(method, url.pathname);
      if (!match) throw unknownRoute(method, url.pathname);
      if (auth === 'publishable' && !match.route.publishable)
        throw unauthorized('This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.');

      const idempotencyKey = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) ?? null : null;
      const apiKey = auth === 'secret' ? this.settings.stripe.secretKey : this.settings.stripe.publishableKey;
      const slot = idempotencyKey ? idempotencySlot(apiKey, idempotencyKey) : null;
      const hash = paramsHash(raw, this.settings.stripe.secretKey);
      if (slot && idempotencyKey) {
        if (idempotencyKey.length > 255) throw invalidRequest('Idempotency-Key must be at most 255 characters.', 'Idempotency-Key');
        const entry = findEntry(this.state, slot, this.clock.nowSeconds());
        if (entry) {
          if (entry.method !== method || entry.path !== url.pathname || entry.paramsHash !== hash) throw idempotencyMismatch(idempotencyKey);
          respond(entry.status, JSON.parse(entry.body), { 'idempotent-replayed': 'true' });
          return;
        }
      }

      const params = new Params(raw);
      const expand = params.expand();
      const mutating = method !== 'GET';
      let status = 200;
      let body: unknown;
      try {
        body = this.transact(auth, { id: requestId, idempotencyKey }, (ctx) => {
          const result = match.route.handler(ctx, params, match.path);
          const expanded = applyExpand(ctx.state, result, expand);
          if (slot && mutating) {
            ctx.state.idempotency[slot] = {
              method,
              path: url.pathname,
              paramsHash: hash,
              status: 200,
              body: JSON.stringify(expanded),
              createdAt: this.clock.nowSeconds(),
            };
          }
          return expanded;
        }, mutating);
      } catch (err) {
        if (!(err instanceof StripeApiError) || !err.commit) throw err;
        // A committed failure (declined card) is the request's result: replay it for the same key.
        status = err.status;
        body = err.toJSON(requestId);
        if (slot) {
          this.state.idempotency[slot] = {
            method, path: url.pathname, paramsHash: hash, status, body: JSON.stringify(body), createdAt: this.clock.nowSeconds(),
          };
          this.persist();
        }
      }
      respond(status, body);
    } catch (err) {
      if (err instanceof StripeApiError) {
        respond(err.status, err.toJSON(requestId));
        return;
      }
      throw err;
    } finally {
      if (earlySlot) this.inFlight.delete(earlySlot);
    }
  }

  /** Time-driven changes that are due (sessions past expires_at, refunds that fail later), applied before serving a request. */
  sweep(): void {
    const now = this.clock.nowSeconds();
    if (hasDueExpirations(this.state, now)) {
      this.transact('internal', { id: null, idempotencyKey: null }, (ctx) => expireDueSessions(ctx));
    }
    if (hasDueRefundFailures(this.state, now)) {
      this.transact('internal', { id: null, idempotencyKey: null }, (ctx) => failDueRefunds(ctx));
    }
    // Scanning every event and idempotency key costs more as they grow: done once per sandbox second at
    // most (a clock moved forward gets it at once), not per request.
    if (now === this.housekeptAt) return;
    this.housekeptAt = now;
    if (pruneExpired(this.state, now)) this.persist();
    // Stripe keeps events for 30 days; so does the sandbox (which also bounds its state file).
    const events = Object.values(this.state.events);
    const oldest = events[0];
    if (oldest && (now - oldest.created > EVENT_RETENTION_SECONDS || events.length > MAX_EVENTS)) {
      const keep = events.filter((e) => now - e.created <= EVENT_RETENTION_SECONDS).slice(-MAX_EVENTS);
      this.state.events = Object.fromEntries(keep.map((e) => [e.id, e]));
      this.persist();
    }
  }

  private housekeptAt = -1;
}
