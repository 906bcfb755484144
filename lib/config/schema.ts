/**
 * The app's settings: one zod schema over the environment, read once at start. Pure: takes an env
 * object, returns a typed config or every problem at once.
 */
import { z } from 'zod';
import { DEFAULT_RETRY_DAYS, parseRetrySchedule, parseTaxRegistrations, type SellerTaxSettings } from '@/lib/billing';
import { SANDBOX_DEFAULTS } from './sandbox-defaults';

export type PaymentsMode = 'sandbox' | 'test' | 'live';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanString = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const emailList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.email({ message: 'expected a comma-separated list of email addresses' })));

/** How long a past-due subscription keeps its features (lib/billing/entitlements), counted from its first failed payment. */
const DEFAULT_PAST_DUE_GRACE_DAYS = 7;
const MAX_PAST_DUE_GRACE_DAYS = 90;

const envSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_URL: z.url({ message: 'expected an absolute URL such as http://localhost:3000' }).default('http://localhost:3000'),
  PAYMENTS_MODE: z.enum(['sandbox', 'test', 'live']).optional(),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// connection URL')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, 'expected at least 32 characters of random secret').optional()),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  ADMIN_EMAILS: emailList,
  DEMO_PASSWORD: z.string().min(8, 'expected at least 8 characters').default(SANDBOX_DEFAULTS.demoPassword),
  SMTP_URL: optionalString.pipe(z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional()),
  EMAIL_FROM: z.string().default('Billing <billing@localhost>'),
  WORKERS: z.enum(['in-process', 'off']).default('in-process'),
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(SANDBOX_DEFAULTS.port),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_PUBLISHABLE_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  PAYPAL_CLIENT_ID: optionalString,
  PAYPAL_CLIENT_SECRET: optionalString,
  PAYPAL_WEBHOOK_ID: optionalString,
  PAYPAL_API_BASE: optionalString.pipe(z.url({ message: 'expected an absolute URL' }).optional()),
  SEED_DEMO_DATA: booleanString,
  SELLER_COUNTRY: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'expected the two-letter ISO country code where the business is established, such as US or DE')
    .default('US'),
  TAX_REGISTRATIONS: optionalString.transform((text, ctx) => {
    if (text === undefined) return undefined;
    try {
      return parseTaxRegistrations(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  SELLER_NAME: z.string().trim().min(1).default('Example SaaS Inc.'),
  SELLER_ADDRESS: z.string().default('1 Market Street|San Francisco, CA 94105|United States'),
  SELLER_TAX_ID: optionalString,
  TRIAL_END_WITHOUT_PAYMENT_METHOD: z.enum(['pause', 'cancel']).default('pause'),
  DOWNGRADE_POLICY: z.enum(['at_period_end', 'immediate_credit']).default('at_period_end'),
  PAST_DUE_GRACE_DAYS: optionalString.transform((text, ctx) => {
    if (text === undefined) return DEFAULT_PAST_DUE_GRACE_DAYS;
    // Digits only: "7.5", "-1", "1e1" and " 7 days" are mistakes, not numbers to round.
    const days = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
    if (days >= 0 && days <= MAX_PAST_DUE_GRACE_DAYS) return days;
    ctx.addIssue({ code: 'custom', message: `expected a whole number of days from 0 to ${MAX_PAST_DUE_GRACE_DAYS}, got "${text}"` });
    return z.NEVER;
  }),
  DUNNING_RETRY_DAYS: optionalString.transform((text, ctx) => {
    if (text === undefined) return [...DEFAULT_RETRY_DAYS];
    try {
      return parseRetrySchedule(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  RETRIES_EXHAUSTED: z.enum(['cancel', 'mark_unpaid']).default('cancel'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export interface AppConfig {
  appEnv: 'development' | 'test' | 'production';
  appUrl: string;
  mode: PaymentsMode;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  /** Undefined outside production when none is set: the app then keeps a generated one in DATA_DIR. */
  authSecret: string | undefined;
  oauth: {
    github: { clientId: string; clientSecret: string } | null;
    google: { clientId: string; clientSecret: string } | null;
  };
  adminEmails: string[];
  demoPassword: string;
  seedDemoData: boolean;
  smtpUrl: string | undefined;
  emailFrom: string;
  workersInProcess: boolean;
  stripe: { secretKey: string; publishableKey: string; webhookSecret: string; apiBase: string | null };
  paypal: { clientId: string; clientSecret: string; webhookId: string; apiBase: string; sdkBase: string | null };
  sandbox: { port: number; origin: string } | null;
  /** Where the seller is established and registered to collect tax. */
  tax: SellerTaxSettings;
  /** Who issues the invoices. */
  seller: { name: string; address: string[]; taxId: string | null };
  /** The subscription state machine's choices (lib/billing/subscription-state). */
  billing: {
    trialEndWithoutPaymentMethod: 'pause' | 'cancel';
    retriesExhausted: 'cancel' | 'mark_unpaid';
    downgradePolicy: 'at_period_end' | 'immediate_credit';
    /** Whole days a past-due subscription keeps access to its features, from `pastDueSince` (0..90). */
    pastDueGraceDays: number;
    /** Days after a renewal's first failed charge when it is retried (DUNNING_RETRY_DAYS, default 3,7,14). */
    retryDays: number[];
  };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

const PAYPAL_LIVE_BASE = 'https://api-m.paypal.com';
const PAYPAL_TEST_BASE = 'https://api-m.sandbox.paypal.com';

function inferMode(env: z.infer<typeof envSchema>): PaymentsMode {
  if (env.PAYMENTS_MODE) return env.PAYMENTS_MODE;
  const anyProviderKey = env.STRIPE_SECRET_KEY || env.PAYPAL_CLIENT_ID;
  if (!anyProviderKey) return 'sandbox';
  return env.STRIPE_SECRET_KEY?.startsWith('sk_live_') ? 'live' : 'test';
}

/** Reads and checks every setting; returns all problems together, each naming its setting. */
export function parseConfig(rawEnv: Record<string, string | undefined>): ConfigResult {
  const parsed = envSchema.safeParse(rawEnv);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    };
  }
  const env = parsed.data;
  const mode = inferMode(env);
  const problems: string[] = [];
  const production = env.APP_ENV === 'production';
  const sandboxOrigin = `http://127.0.0.1:${env.SANDBOX_PORT}`;

  const stripe = {
    secretKey: env.STRIPE_SECRET_KEY ?? (mode === 'sandbox' ? SANDBOX_DEFAULTS.stripeSecretKey : ''),
    publishableKey: env.STRIPE_PUBLISHABLE_KEY ?? (mode === 'sandbox' ? SANDBOX_DEFAULTS.stripePublishableKey : ''),
    webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? (mode === 'sandbox' ? SANDBOX_DEFAULTS.stripeWebhookSecret : ''),
    apiBase: mode === 'sandbox' ? sandboxOrigin : null,
  };
  const paypal = {
    clientId: env.PAYPAL_CLIENT_ID ?? (mode === 'sandbox' ? SANDBOX_DEFAULTS.paypalClientId : ''),
    clientSecret: env.PAYPAL_CLIENT_SECRET ?? (mode === 'sandbox' ? SANDBOX_DEFAULTS.paypalClientSecret : ''),
    webhookId: env.PAYPAL_WEBHOOK_ID ?? (mode === 'sandbox' ? SANDBOX_DEFAULTS.paypalWebhookId : ''),
    apiBase:
      env.PAYPAL_API_BASE ??
      (mode === 'sandbox' ? `${sandboxOrigin}/paypal` : mode === 'live' ? PAYPAL_LIVE_BASE : PAYPAL_TEST_BASE),
    sdkBase: mode === 'sandbox' ? `${sandboxOrigin}/paypal/sdk/js` : null,
  };

  if (mode !== 'sandbox') {
    if (!env.STRIPE_SECRET_KEY) problems.push(`STRIPE_SECRET_KEY: required in ${mode} mode`);
    if (!env.STRIPE_PUBLISHABLE_KEY) problems.push(`STRIPE_PUBLISHABLE_KEY: required in ${mode} mode`);
    if (!env.STRIPE_WEBHOOK_SECRET) problems.push(`STRIPE_WEBHOOK_SECRET: required in ${mode} mode (the endpoint's whsec_... secret)`);
    if (!env.PAYPAL_CLIENT_ID) problems.push(`PAYPAL_CLIENT_ID: required in ${mode} mode`);
    if (!env.PAYPAL_CLIENT_SECRET) problems.push(`PAYPAL_CLIENT_SECRET: required in ${mode} mode`);
    if (!env.PAYPAL_WEBHOOK_ID) problems.push(`PAYPAL_WEBHOOK_ID: required in ${mode} mode (the webhook's id in PayPal's dashboard)`);
    const expected = mode === 'live' ? 'live' : 'test';
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_SECRET_KEY.startsWith(`sk_${expected}_`) && !env.STRIPE_SECRET_KEY.startsWith(`rk_${expected}_`))
      problems.push(`STRIPE_SECRET_KEY: expected an sk_${expected}_ key in ${mode} mode`);
    if (env.STRIPE_PUBLISHABLE_KEY && !env.STRIPE_PUBLISHABLE_KEY.startsWith(`pk_${expected}_`))
      problems.push(`STRIPE_PUBLISHABLE_KEY: expected a pk_${expected}_ key in ${mode} mode`);
  }

  if (production) {
    if (mode === 'sandbox')
      problems.push('PAYMENTS_MODE: sandbox mode is refused with APP_ENV=production; set live provider keys (STRIPE_SECRET_KEY=sk_live_..., PAYPAL_CLIENT_ID, ...)');
    if (mode === 'test') problems.push('PAYMENTS_MODE: test mode is refused with APP_ENV=production; use live keys');
    if (env.STRIPE_SECRET_KEY?.startsWith('sk_test_') || env.STRIPE_SECRET_KEY?.startsWith('rk_test_'))
      problems.push('STRIPE_SECRET_KEY: a test key (sk_test_) is refused with APP_ENV=production');
    if (env.STRIPE_PUBLISHABLE_KEY?.startsWith('pk_test_'))
      problems.push('STRIPE_PUBLISHABLE_KEY: a test key (pk_test_) is refused with APP_ENV=production');
    if (mode !== 'sandbox' && (paypal.apiBase.includes('sandbox') || paypal.apiBase.startsWith('http://127.0.0.1')))
      problems.push(`PAYPAL_API_BASE: PayPal's sandbox (${paypal.apiBase}) is refused with APP_ENV=production; use ${PAYPAL_LIVE_BASE}`);
    if (!env.AUTH_SECRET) problems.push('AUTH_SECRET: required with APP_ENV=production (at least 32 random characters)');
    if (!env.DATABASE_URL) problems.push('DATABASE_URL: required with APP_ENV=production (the embedded database is for development)');
    if (!env.APP_URL.startsWith('https://')) problems.push('APP_URL: expected an https:// URL with APP_ENV=production');
  }

  const pair = (id?: string, secret?: string, name?: string) => {
    if (id && secret) return { clientId: id, clientSecret: secret };
    if (id || secret) problems.push(`AUTH_${name}_ID and AUTH_${name}_SECRET: set both or neither`);
    return null;
  };
  const github = pair(env.AUTH_GITHUB_ID, env.AUTH_GITHUB_SECRET, 'GITHUB');
  const google = pair(env.AUTH_GOOGLE_ID, env.AUTH_GOOGLE_SECRET, 'GOOGLE');

  // Sandbox mode demonstrates tax in the places the demo shows; elsewhere nothing is collected until configured.
  const registrations = env.TAX_REGISTRATIONS ?? (mode === 'sandbox' ? parseTaxRegistrations(SANDBOX_DEFAULTS.taxRegistrations) : []);

  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    config: {
      appEnv: env.APP_ENV,
      appUrl: env.APP_URL.replace(/\/$/, ''),
      mode,
      database: env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR },
      dataDir: env.DATA_DIR,
      authSecret: env.AUTH_SECRET,
      oauth: { github, google },
      adminEmails: env.ADMIN_EMAILS,
      demoPassword: env.DEMO_PASSWORD,
      seedDemoData: mode === 'sandbox' || env.SEED_DEMO_DATA,
      smtpUrl: env.SMTP_URL,
      emailFrom: env.EMAIL_FROM,
      workersInProcess: env.WORKERS === 'in-process',
      stripe,
      paypal,
      sandbox: mode === 'sandbox' ? { port: env.SANDBOX_PORT, origin: sandboxOrigin } : null,
      tax: { country: env.SELLER_COUNTRY, registrations },
      seller: { name: env.SELLER_NAME, address: env.SELLER_ADDRESS.split('|').map((l) => l.trim()).filter(Boolean), taxId: env.SELLER_TAX_ID ?? null },
      billing: { trialEndWithoutPaymentMethod: env.TRIAL_END_WITHOUT_PAYMENT_METHOD, retriesExhausted: env.RETRIES_EXHAUSTED, downgradePolicy: env.DOWNGRADE_POLICY, pastDueGraceDays: env.PAST_DUE_GRACE_DAYS, retryDays: env.DUNNING_RETRY_DAYS },
      logLevel: env.LOG_LEVEL,
    },
  };
}

export function formatConfigProblems(problems: string[]): string {
  return ['The app cannot start: these settings are wrong (see .env.example):', ...problems.map((p) => `  - ${p}`)].join('\n');
}
