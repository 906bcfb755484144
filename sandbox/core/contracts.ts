/**
 * The contracts between the sandbox's shared core (server, clock, persistence, webhook delivery,
 * control surface) and its provider halves (Stripe at the origin's root, PayPal under /paypal).
 * The sandbox is test equipment: the app reaches it only through configuration (base URLs, keys).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ProviderName = 'stripe' | 'paypal';

export interface SandboxSettings {
  /** Loopback port (SANDBOX_PORT, default 12111). */
  port: number;
  /** e.g. http://127.0.0.1:12111 — Stripe's API at its root, PayPal's under /paypal. */
  origin: string;
  /** Where the app runs; webhooks go to `${appUrl}/api/webhooks/stripe` and `/api/webhooks/paypal`. */
  appUrl: string;
  /** Directory holding the sandbox's persisted state (default `.data/sandbox`). */
  stateDir: string;
  stripe: { secretKey: string; publishableKey: string; webhookSecret: string };
  paypal: { clientId: string; clientSecret: string; webhookId: string };
  /** Chaos: share of deliveries sent twice (0..1) and whether queued deliveries are shuffled. */
  chaos: { duplicateRate: number; reorder: boolean };
}

/** The sandbox's clock: real time plus an offset that the control surface can advance. */
export interface SandboxClock {
  /** Milliseconds since the epoch, sandbox time. */
  now(): number;
  /** Unix seconds, sandbox time (what Stripe puts in `created`). */
  nowSeconds(): number;
  advance(seconds: number): void;
  offsetSeconds(): number;
}

/** A webhook to deliver. Data only, so the queue can be persisted; the core signs each attempt. */
export interface OutboundWebhook {
  provider: ProviderName;
  eventId: string;
  eventType: string;
  url: string;
  /** The exact bytes to POST (JSON text). */
  body: string;
}

/** Signs one delivery attempt: returns the provider's headers for this body at this time. */
export type WebhookSigner = (body: string, attemptAtMs: number) => Record<string, string>;

export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface DeliveryRecord {
  id: string;
  provider: ProviderName;
  eventId: string;
  eventType: string;
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  nextAttemptAt: number | null;
  /** Set on the extra copy that chaos mode sends. */
  duplicateOf?: string;
}

export interface WebhookDeliverer {
  enqueue(webhook: OutboundWebhook): void;
  list(filter?: { provider?: ProviderName; eventId?: string }): DeliveryRecord[];
  /** Resolves once nothing is due right now (pending retries in the future stay pending). */
  flush(): Promise<void>;
  reset(): void;
}

export interface ProviderSandbox {
  readonly name: ProviderName;
  /** Handles the request if it is this provider's; returns false to let the next one try. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Forget all state (control surface reset). */
  reset(): Promise<void>;
  /** Provider-specific control actions, e.g. `trigger`, `open_dispute`. Throws on an unknown action. */
  control(action: string, body: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export interface ProviderContext {
  settings: SandboxSettings;
  clock: SandboxClock;
  deliverer: WebhookDeliverer;
  /** Registers the signer the deliverer uses for this provider's webhooks. */
  registerSigner(provider: ProviderName, signer: WebhookSigner): void;
}

export type ProviderFactory = (ctx: ProviderContext) => Promise<ProviderSandbox>;
