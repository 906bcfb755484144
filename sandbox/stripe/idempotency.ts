/**
 * Stripe's Idempotency-Key semantics: the same key with the same parameters replays the first response
 * (with `Idempotent-Replayed: true`); the same key with other parameters or another endpoint is an
 * idempotency_error. Results are kept for 24 hours of sandbox time; requests rejected by validation are not kept.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IdempotencyEntry, StripeState } from './state';

const TTL_SECONDS = 24 * 60 * 60;

/** Keyed (HMAC with the account's secret key), so a persisted hash of params holding card details reveals nothing. */
export function paramsHash(params: unknown, key: string): string {
  return createHmac('sha256', key).update(canonical(params)).digest('hex');
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export function idempotencySlot(apiKey: string, key: string): string {
  return `${createHash('sha256').update(apiKey).digest('hex').slice(0, 12)}:${key}`;
}

export function findEntry(state: StripeState, slot: string, nowSeconds: number): IdempotencyEntry | undefined {
  const entry = state.idempotency[slot];
  if (!entry) return undefined;
  if (nowSeconds - entry.createdAt > TTL_SECONDS) {
    delete state.idempotency[slot];
    return undefined;
  }
  return entry;
}

/** Drops results older than the TTL; true when any was dropped. */
export function pruneExpired(state: StripeState, nowSeconds: number): boolean {
  let pruned = false;
  for (const [slot, entry] of Object.entries(state.idempotency)) {
    if (nowSeconds - entry.createdAt > TTL_SECONDS) {
      delete state.idempotency[slot];
      pruned = true;
    }
  }
  return pruned;
}
