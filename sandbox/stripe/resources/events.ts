/** Events: retrieve and list (type, types[], created). */
import type { StripeContext } from '../context';
import { invalidRequest } from '../errors';
import { LIST_PARAMS, createdFilter, newestFirst, paginate } from '../list';
import type { Params } from '../params';
import type { Route } from '../router';
import { find } from '../shared';

function matches(type: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return type === pattern;
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'type', 'types', 'created', 'delivery_success');
  const type = p.string('type');
  const types = p.strings('types');
  if (type && types) throw invalidRequest('You may only specify one of these parameters: type, types.', 'types');
  const inRange = createdFilter(p);
  const all = newestFirst(ctx.state.events).filter(
    (e) =>
      inRange(e) &&
      (type === undefined || matches(e.type as string, type)) &&
      (types === undefined || types.some((t) => matches(e.type as string, t))),
  );
  return paginate(all, p, '/v1/events');
}

export const eventRoutes: Route[] = [
  { method: 'GET', path: '/v1/events', handler: list },
  {
    method: 'GET',
    path: '/v1/events/:id',
    handler: (ctx, p, path) => {
      p.only('expand');
      return find(ctx, 'events', path.id, 'id');
    },
  },
];

export { matches as eventTypeMatches };
