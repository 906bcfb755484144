/** The route table: method + path pattern (`/v1/payment_intents/:intent/confirm`) to a handler. */
import type { StripeContext } from './context';
import type { Params } from './params';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** A handler returns the response body (an API object or a list). Errors are thrown as StripeApiError. */
export type Handler = (ctx: StripeContext, p: Params, path: Record<string, string>) => unknown;

export interface Route {
  method: HttpMethod;
  path: string;
  handler: Handler;
  /** Reachable with the publishable key (Stripe.js): creating PaymentMethods, client-secret calls. */
  publishable?: boolean;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path.replace(/:([a-z_]+)/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      this.routes.push({ ...route, pattern: new RegExp(`^${source}/?$`), names });
    }
    return this;
  }

  match(method: string, pathname: string): { route: Route; path: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      const path = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      return { route, path };
    }
    return undefined;
  }
}
