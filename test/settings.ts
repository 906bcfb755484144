/** The billing settings tests run with: the defaults of lib/config. */
import type { DunningSettings } from '@/lib/billing';

export const testBillingSettings: DunningSettings = { trialEndWithoutPaymentMethod: 'pause', retriesExhausted: 'cancel', retryDays: [3, 7, 14] };
