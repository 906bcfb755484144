/**
 * expand[]: replaces id strings with the objects they name, along dotted paths (`latest_charge`,
 * `data.customer`, `payment_intent.payment_method`), up to Stripe's four levels.
 */
import { invalidRequest } from './errors';
import { lookup, type StripeState } from './state';

const MAX_DEPTH = 4;

export function applyExpand(state: StripeState, body: unknown, paths: string[]): unknown {
  if (paths.length === 0) return body;
  const copy = structuredClone(body);
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_DEPTH)
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, 'expand');
    expandAt(state, copy, segments, path);
  }
  return copy;
}

function expandAt(state: StripeState, node: unknown, segments: string[], path: string): void {
  if (node === null || typeof node !== 'object') return;
  const [head, ...rest] = segments;
  if (Array.isArray(node)) {
    for (const item of node) expandAt(state, item, segments, path);
    return;
  }
  const record = node as Record<string, unknown>;
  if (!(head in record)) throw invalidRequest(`This property cannot be expanded (${head}).`, 'expand');
  let value = record[head];
  if (typeof value === 'string') {
    const found = lookup(state, value);
    if (!found) throw invalidRequest(`This property cannot be expanded (${head}).`, 'expand');
    value = structuredClone(found);
    record[head] = value;
  }
  if (rest.length > 0) expandAt(state, value, rest, path);
}
