/**
 * The shared shape of both webhook endpoints: check the request, verify it with the provider's
 * scheme, store and enqueue it, answer. Anything unverifiable gets a 4xx and leaves no row and no
 * job, only a counted rejection.
 */
import type { Database } from '@/db/client';
import { BodyTooLargeError, isJsonContentType, readRawBody } from './http';
import { recordRejection, type Provider, type ReceiveOutcome, type VerifiedEvent } from './receive';

export type Verifier = (rawBody: string, request: Request) => Promise<{ id: string; type: string; payload: unknown }>;

export class WebhookRejected extends Error {
  constructor(
    readonly reason: string,
    readonly status = 400,
  ) {
    super(reason);
  }
}

export interface WebhookEndpointDeps {
  db: Database;
  /** Stores a verified event and enqueues it (the process's batcher: see createEventBatcher). */
  storeEvent: (event: VerifiedEvent) => Promise<ReceiveOutcome>;
}

export async function handleWebhook(deps: WebhookEndpointDeps, provider: Provider, request: Request, verify: Verifier): Promise<Response> {
  try {
    if (!isJsonContentType(request)) throw new WebhookRejected('unsupported content type', 415);
    let rawBody: string;
    try {
      rawBody = await readRawBody(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new WebhookRejected('body over 1 MB', 413);
      throw new WebhookRejected('unreadable body');
    }
    let event;
    try {
      event = await verify(rawBody, request);
    } catch (error) {
      throw error instanceof WebhookRejected ? error : new WebhookRejected(`verification failed: ${(error as Error).message}`.slice(0, 200));
    }
    const outcome = await deps.storeEvent({ provider, ...event });
    return Response.json({ received: true, outcome });
  } catch (error) {
    if (!(error instanceof WebhookRejected)) throw error;
    await recordRejection(deps.db, provider, error.reason.split(':')[0]);
    return Response.json({ error: error.reason }, { status: error.status });
  }
}
