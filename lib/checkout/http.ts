/** What checkout's route handlers share: the services' dependencies from the runtime, and error mapping. */
import type { Runtime } from '@/lib/runtime';
import { CheckoutError, checkoutErrorResponse } from './errors';
import type { CheckoutDeps } from './start';

export function checkoutDeps(runtime: Runtime): CheckoutDeps {
  return { db: runtime.db, gateways: runtime.gateways, boss: runtime.boss, appUrl: runtime.config.appUrl, tax: runtime.config.tax };
}

/** Runs a handler body, answering a typed checkout error with its status and message (anything else is a 500). */
export async function answeringCheckoutErrors(body: () => Promise<Response>): Promise<Response> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CheckoutError) return checkoutErrorResponse(error);
    throw error;
  }
}
