/** The provider clients of this process, built once from the settings. */
import type { AppConfig } from '@/lib/config';
import { createPaypalClient, type PaypalClient } from './paypal/client';
import { createStripeClient, type StripeClient } from './stripe/client';

export interface Gateways {
  stripe: StripeClient;
  paypal: PaypalClient;
}

export function createGateways(config: AppConfig): Gateways {
  return { stripe: createStripeClient(config), paypal: createPaypalClient(config) };
}
