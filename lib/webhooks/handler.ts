import type { PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '@/db/client';
import type { Gateways } from '@/lib/payments/gateways';
import type { DunningSettings } from '@/lib/billing';

/** What event processing works with: the database, the providers, the queue (for emails) and the app's URL. */
export interface ProcessingDeps {
  db: Database;
  gateways: Gateways;
  boss: PgBoss;
  appUrl: string;
  /** The subscription state machine's settings and the retry schedule, for payments that settle invoices. */
  settings: DunningSettings;
}

export interface HandlerContext extends ProcessingDeps {
  now: Date;
}

/**
 * One event type's processing: `load` fetches the object's current state from the provider (the
 * payload may be stale or out of order), outside any transaction; `apply` records it, inside the
 * transaction that marks the event processed, and returns a one-line outcome.
 */
export interface WebhookHandler<Payload = unknown, Loaded = unknown> {
  load(payload: Payload, ctx: HandlerContext): Promise<Loaded>;
  apply(tx: DbOrTx, loaded: Loaded, ctx: HandlerContext): Promise<string>;
}

export function defineHandler<Payload, Loaded>(handler: WebhookHandler<Payload, Loaded>): WebhookHandler {
  return handler as unknown as WebhookHandler;
}
