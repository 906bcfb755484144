/** Disputes v1 read routes. */
import { getDispute, listDisputes } from './disputes';
import { json, route, type Route } from './http';
import type { Services } from './services';

export function disputesRoute(svc: Services): Route[] {
  return [
    route('GET', '/v1/customer/disputes', (c) => json(200, listDisputes(svc, c.url)), { api: 'customer-disputes/v1' }),
    route('GET', '/v1/customer/disputes/:id', (c) => json(200, svc.render.dispute(getDispute(svc, c.params.id), svc.store.state)), {
      api: 'customer-disputes/v1',
    }),
  ];
}
