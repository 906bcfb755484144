/** Webhook endpoints: create (the secret is shown once), retrieve, update, delete, list. */
import { now, type StripeContext } from '../context';
import { invalidRequest } from '../errors';
import { newId, randomBase62 } from '../ids';
import { LIST_PARAMS, newestFirst, paginate } from '../list';
import { nullable, type Params } from '../params';
import type { Route } from '../router';
import { find } from '../shared';
import type { StripeObject } from '../state';

function readUrl(p: Params, required: boolean): string | undefined {
  const url = p.string('url', { required, maxLength: 5000 });
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (!/^https?:$/.test(parsed.protocol)) throw new Error('protocol');
  } catch {
    throw invalidRequest(`Invalid URL: ${url}`, 'url', 'url_invalid');
  }
  return url;
}

function readEvents(p: Params, required: boolean): string[] | undefined {
  const events = p.strings('enabled_events');
  if (events === undefined && required) throw invalidRequest('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
  if (events && events.length === 0) throw invalidRequest('enabled_events must contain at least one event type.', 'enabled_events');
  return events;
}

function create(ctx: StripeContext, p: Params): StripeObject {
  p.only('url', 'enabled_events', 'description', 'metadata', 'api_version', 'connect', 'expand');
  const endpoint: StripeObject = {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: p.string('api_version') ?? null,
    application: null,
    created: now(ctx),
    description: nullable(p.string('description'), null),
    enabled_events: readEvents(p, true),
    livemode: false,
    metadata: p.metadataUpdate({}),
    status: 'enabled',
    url: readUrl(p, true),
  };
  const secret = `whsec_${randomBase62(32)}`;
  ctx.state.webhook_endpoints[endpoint.id] = endpoint;
  ctx.state.endpointSecrets[endpoint.id] = secret;
  return { ...endpoint, secret };
}

function modify(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('url', 'enabled_events', 'description', 'metadata', 'disabled', 'expand');
  const endpoint = find(ctx, 'webhook_endpoints', path.webhook_endpoint, 'webhook_endpoint');
  const url = readUrl(p, false);
  const events = readEvents(p, false);
  if (url) endpoint.url = url;
  if (events) endpoint.enabled_events = events;
  if (p.has('description')) endpoint.description = nullable(p.string('description'), endpoint.description as string | null);
  if (p.has('metadata')) endpoint.metadata = p.metadataUpdate(endpoint.metadata as Record<string, string>);
  const disabled = p.bool('disabled');
  if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
  return endpoint;
}

function remove(ctx: StripeContext, p: Params, path: Record<string, string>): unknown {
  p.only();
  const endpoint = find(ctx, 'webhook_endpoints', path.webhook_endpoint, 'webhook_endpoint');
  delete ctx.state.webhook_endpoints[endpoint.id];
  delete ctx.state.endpointSecrets[endpoint.id];
  return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
}

export const webhookEndpointRoutes: Route[] = [
  { method: 'POST', path: '/v1/webhook_endpoints', handler: create },
  {
    method: 'GET',
    path: '/v1/webhook_endpoints',
    handler: (ctx, p) => {
      p.only(...LIST_PARAMS);
      return paginate(newestFirst(ctx.state.webhook_endpoints), p, '/v1/webhook_endpoints');
    },
  },
  {
    method: 'GET',
    path: '/v1/webhook_endpoints/:webhook_endpoint',
    handler: (ctx, p, path) => {
      p.only('expand');
      return find(ctx, 'webhook_endpoints', path.webhook_endpoint, 'webhook_endpoint');
    },
  },
  { method: 'POST', path: '/v1/webhook_endpoints/:webhook_endpoint', handler: modify },
  { method: 'DELETE', path: '/v1/webhook_endpoints/:webhook_endpoint', handler: remove },
];
