/**
 * `POST /api/usage/events`: the usage ingestion API, fetch-style so the route handler and tests share
 * it. `Authorization: Bearer usk_…`; a JSON body that is one event or `{"events": [...]}` (up to
 * 1,000). Answers 201 (new) or 200 (a repeat) for one event and 200 with each event's status for a
 * batch; 400, 401, 404, 409, 413 and 415 with `{"error": {"code", "message", "problems"?}}`.
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { apiKeys } from '@/db/schema';
import { log } from '@/lib/log';
import { authenticateApiKey } from './api-keys';
import { ingestUsage, UsageRejectedError, type UsageProblem } from './ingest';

export const MAX_USAGE_BODY_BYTES = 1_000_000;
/** last_used_at is a hint for admins, written at most once a minute per key and process (not once per request). */
const TOUCH_EVERY_MS = 60_000;
const touchedAt = new Map<string, number>();

function errorResponse(status: number, code: string, message: string, problems?: UsageProblem[], headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message, ...(problems && problems.length > 1 ? { problems } : {}) } }, { status, headers });
}

export async function handleUsageRequest(db: Database, request: Request, now: Date): Promise<Response> {
  const key = await authenticateApiKey(db, request.headers.get('authorization'));
  if (!key) return errorResponse(401, 'unauthorized', 'Send a live API key as "Authorization: Bearer usk_…"; this one is missing, unknown or revoked.', undefined, { 'www-authenticate': 'Bearer' });
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return errorResponse(415, 'unsupported_media_type', 'Send the events as application/json.');
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_USAGE_BODY_BYTES) return errorResponse(413, 'body_too_large', `The body may be at most ${MAX_USAGE_BODY_BYTES} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return errorResponse(400, 'invalid_json', 'The body is not valid JSON.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return errorResponse(400, 'invalid_body', 'Send one event object, or {"events": [...]}.');
  const batch = 'events' in body;
  const events = batch ? (body as { events: unknown }).events : [body];
  if (!Array.isArray(events)) return errorResponse(400, 'invalid_body', '"events" must be an array of events.');

  try {
    const result = await ingestUsage(db, key.id, events, now);
    if ((touchedAt.get(key.id) ?? -Infinity) <= now.getTime() - TOUCH_EVERY_MS) {
      touchedAt.set(key.id, now.getTime());
      await db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - TOUCH_EVERY_MS)))));
    }
    const wire = result.events.map((e) => ({ idempotency_key: e.idempotencyKey, status: e.status }));
    if (!batch) return Response.json(wire[0], { status: wire[0].status === 'accepted' ? 201 : 200 });
    return Response.json({ accepted: result.accepted, duplicates: result.duplicates, events: wire });
  } catch (error) {
    if (error instanceof UsageRejectedError) return errorResponse(error.status, error.code, error.message, error.problems);
    log.error('usage ingestion failed', { error });
    return errorResponse(500, 'internal_error', 'The events could not be stored; nothing was counted. Retry with the same idempotency keys.');
  }
}
