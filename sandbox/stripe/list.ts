/** Stripe's list objects and cursor pagination (limit, starting_after, ending_before, has_more), newest first. */
import { invalidRequest } from './errors';
import type { Params } from './params';
import type { StripeObject } from './state';

export interface ListObject {
  object: 'list';
  data: StripeObject[];
  has_more: boolean;
  url: string;
}

/** Newest first; objects created in the same second keep reverse insertion order. */
export function newestFirst(objects: Record<string, StripeObject>): StripeObject[] {
  return Object.values(objects)
    .map((o, i) => ({ o, i }))
    .sort((a, b) => b.o.created - a.o.created || b.i - a.i)
    .map(({ o }) => o);
}

export function createdFilter(p: Params, key = 'created'): (o: StripeObject) => boolean {
  if (!p.has(key)) return () => true;
  const raw = p.raw[key];
  if (typeof raw === 'string') {
    const exact = p.int(key);
    return (o) => o.created === exact;
  }
  const range = p.object(key)!.only('gt', 'gte', 'lt', 'lte');
  const gt = range.int('gt');
  const gte = range.int('gte');
  const lt = range.int('lt');
  const lte = range.int('lte');
  return (o) =>
    (gt === undefined || o.created > gt) &&
    (gte === undefined || o.created >= gte) &&
    (lt === undefined || o.created < lt) &&
    (lte === undefined || o.created <= lte);
}

export function paginate(all: StripeObject[], p: Params, url: string): ListObject {
  const limit = p.int('limit', { min: 1, max: 100 }) ?? 10;
  const startingAfter = p.string('starting_after');
  const endingBefore = p.string('ending_before');
  if (startingAfter && endingBefore)
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  if (startingAfter) {
    const index = all.findIndex((o) => o.id === startingAfter);
    if (index === -1) throw invalidRequest(`No such object: '${startingAfter}'`, 'starting_after', 'resource_missing', 404);
    const rest = all.slice(index + 1);
    return { object: 'list', data: rest.slice(0, limit), has_more: rest.length > limit, url };
  }
  if (endingBefore) {
    const index = all.findIndex((o) => o.id === endingBefore);
    if (index === -1) throw invalidRequest(`No such object: '${endingBefore}'`, 'ending_before', 'resource_missing', 404);
    const before = all.slice(0, index);
    const page = before.slice(Math.max(0, before.length - limit));
    return { object: 'list', data: page, has_more: before.length > limit, url };
  }
  return { object: 'list', data: all.slice(0, limit), has_more: all.length > limit, url };
}

/** The pagination parameters every list endpoint takes. */
export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'expand'] as const;
