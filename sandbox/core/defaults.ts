/**
 * The sandbox's configuration defaults, in one place. The app's config module mirrors these values
 * (and documents them); change them here and there together.
 */
export const DEFAULT_SANDBOX_PORT = 12111;
export const DEFAULT_APP_URL = 'http://localhost:3000';
export const DEFAULT_DATA_DIR = '.data';
/** The sandbox keeps its state in `${DATA_DIR}/${SANDBOX_STATE_SUBDIR}`. */
export const SANDBOX_STATE_SUBDIR = 'sandbox';

export const DEFAULT_STRIPE_SECRET_KEY = 'sk_test_sandbox_0000000000000000000000000';
export const DEFAULT_STRIPE_PUBLISHABLE_KEY = 'pk_test_sandbox_0000000000000000000000000';
export const DEFAULT_STRIPE_WEBHOOK_SECRET = 'whsec_sandbox_00000000000000000000000000';

export const DEFAULT_PAYPAL_CLIENT_ID = 'sandbox-client-id';
export const DEFAULT_PAYPAL_CLIENT_SECRET = 'sandbox-client-secret';
export const DEFAULT_PAYPAL_WEBHOOK_ID = 'WHSANDBOX0000000000';

export const DEFAULT_CHAOS_DUPLICATE_RATE = 0;
export const DEFAULT_CHAOS_REORDER = false;

/** Paths on the app that receive the sandbox's webhooks. */
export const STRIPE_WEBHOOK_PATH = '/api/webhooks/stripe';
export const PAYPAL_WEBHOOK_PATH = '/api/webhooks/paypal';

/** Where the control surface lives on the sandbox origin. */
export const CONTROL_PREFIX = '/_sandbox';
