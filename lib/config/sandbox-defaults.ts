/**
 * Settings used in sandbox mode when none are given. They only ever reach the local sandbox
 * (sandbox/core/defaults.ts holds the same values for the sandbox's side).
 */
export const SANDBOX_DEFAULTS = {
  port: 12111,
  stripeSecretKey: 'sk_test_sandbox_0000000000000000000000000',
  stripePublishableKey: 'pk_test_sandbox_0000000000000000000000000',
  stripeWebhookSecret: 'whsec_sandbox_00000000000000000000000000',
  paypalClientId: 'sandbox-client-id',
  paypalClientSecret: 'sandbox-client-secret',
  paypalWebhookId: 'WHSANDBOX0000000000',
  demoPassword: 'demo-password-2026',
  // Where the demo seller (established in the US) collects tax: a few US states, the EU through OSS, the UK, Australia, Canada.
  taxRegistrations: 'US-CA,US-NY,US-TX,US-WA,EU,GB,AU,CA',
} as const;
