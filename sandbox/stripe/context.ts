/** What a resource handler works with: the state, the clock, and an event emitter bound to the request. */
import type { SandboxClock, SandboxSettings } from '../core/contracts';
import { newId } from './ids';
import type { StripeObject, StripeState } from './state';

export const API_VERSION = '2024-04-10';

export interface StripeContext {
  state: StripeState;
  clock: SandboxClock;
  settings: SandboxSettings;
  auth: 'secret' | 'publishable' | 'internal';
  request: { id: string | null; idempotencyKey: string | null };
  /** Events created during this request, delivered once the request's changes are committed. */
  emitted: StripeObject[];
}

export function now(ctx: StripeContext): number {
  return ctx.clock.nowSeconds();
}

/** Records Stripe's event for a state change (with a snapshot of the object at this moment). */
export function emit(
  ctx: StripeContext,
  type: string,
  object: StripeObject,
  previousAttributes?: Record<string, unknown>,
): StripeObject {
  const event: StripeObject = {
    id: newId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: now(ctx),
    data: {
      object: structuredClone(object),
      ...(previousAttributes && Object.keys(previousAttributes).length > 0
        ? { previous_attributes: structuredClone(previousAttributes) }
        : {}),
    },
    livemode: false,
    pending_webhooks: 0,
    request: { id: ctx.request.id, idempotency_key: ctx.request.idempotencyKey },
    type,
  };
  ctx.state.events[event.id] = event;
  ctx.emitted.push(event);
  return event;
}

/** Applies `changes` to `object` and returns the previous values of the fields that changed. */
export function update(object: StripeObject, changes: Record<string, unknown>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (JSON.stringify(object[key]) !== JSON.stringify(value)) {
      previous[key] = object[key] === undefined ? null : structuredClone(object[key]);
      object[key] = value;
    }
  }
  return previous;
}

/** Updates and, when anything changed, emits `${type}` with previous_attributes. */
export function updateAndEmit(ctx: StripeContext, type: string, object: StripeObject, changes: Record<string, unknown>): void {
  const previous = update(object, changes);
  if (Object.keys(previous).length > 0) emit(ctx, type, object, previous);
}
