/** Reads the sandbox's settings from the environment (validated with zod) and merges overrides. */
import path from 'node:path';
import { z } from 'zod';
import type { SandboxSettings } from './contracts';
import {
  DEFAULT_APP_URL,
  DEFAULT_CHAOS_DUPLICATE_RATE,
  DEFAULT_CHAOS_REORDER,
  DEFAULT_DATA_DIR,
  DEFAULT_PAYPAL_CLIENT_ID,
  DEFAULT_PAYPAL_CLIENT_SECRET,
  DEFAULT_PAYPAL_WEBHOOK_ID,
  DEFAULT_SANDBOX_PORT,
  DEFAULT_STRIPE_PUBLISHABLE_KEY,
  DEFAULT_STRIPE_SECRET_KEY,
  DEFAULT_STRIPE_WEBHOOK_SECRET,
  SANDBOX_STATE_SUBDIR,
} from './defaults';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

const envSchema = z.object({
  SANDBOX_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(DEFAULT_SANDBOX_PORT)),
  APP_URL: z.preprocess(emptyAsUndefined, z.url().default(DEFAULT_APP_URL)),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default(DEFAULT_DATA_DIR)),
  STRIPE_SECRET_KEY: z.preprocess(emptyAsUndefined, z.string().startsWith('sk_test_').default(DEFAULT_STRIPE_SECRET_KEY)),
  STRIPE_PUBLISHABLE_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().startsWith('pk_test_').default(DEFAULT_STRIPE_PUBLISHABLE_KEY),
  ),
  STRIPE_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().startsWith('whsec_').default(DEFAULT_STRIPE_WEBHOOK_SECRET)),
  PAYPAL_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().min(1).default(DEFAULT_PAYPAL_CLIENT_ID)),
  PAYPAL_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().min(1).default(DEFAULT_PAYPAL_CLIENT_SECRET)),
  PAYPAL_WEBHOOK_ID: z.preprocess(emptyAsUndefined, z.string().min(1).default(DEFAULT_PAYPAL_WEBHOOK_ID)),
  SANDBOX_CHAOS_DUPLICATE_RATE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().min(0).max(1).default(DEFAULT_CHAOS_DUPLICATE_RATE),
  ),
  SANDBOX_CHAOS_REORDER: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()).transform((v) => v ?? DEFAULT_CHAOS_REORDER),
});

export class SandboxSettingsError extends Error {}

/** Throws one error naming every bad setting. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new SandboxSettingsError(`Invalid sandbox settings:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.SANDBOX_PORT,
    origin: `http://127.0.0.1:${e.SANDBOX_PORT}`,
    appUrl: e.APP_URL.replace(/\/$/, ''),
    stateDir: path.resolve(e.DATA_DIR, SANDBOX_STATE_SUBDIR),
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      publishableKey: e.STRIPE_PUBLISHABLE_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
    },
    paypal: { clientId: e.PAYPAL_CLIENT_ID, clientSecret: e.PAYPAL_CLIENT_SECRET, webhookId: e.PAYPAL_WEBHOOK_ID },
    chaos: { duplicateRate: e.SANDBOX_CHAOS_DUPLICATE_RATE, reorder: e.SANDBOX_CHAOS_REORDER },
  };
}

export type SettingsOverrides = Partial<Omit<SandboxSettings, 'stripe' | 'paypal' | 'chaos'>> & {
  stripe?: Partial<SandboxSettings['stripe']>;
  paypal?: Partial<SandboxSettings['paypal']>;
  chaos?: Partial<SandboxSettings['chaos']>;
};

/** Defaults (from env) with overrides applied field by field. */
export function resolveSettings(overrides: SettingsOverrides = {}, env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  const base = settingsFromEnv(env);
  return {
    ...base,
    ...overrides,
    stripe: { ...base.stripe, ...overrides.stripe },
    paypal: { ...base.paypal, ...overrides.paypal },
    chaos: { ...base.chaos, ...overrides.chaos },
  };
}

/** The sandbox is test equipment: it never runs in production. */
export function assertNotProduction(env: NodeJS.ProcessEnv = process.env): void {
  if (env.APP_ENV === 'production') {
    throw new SandboxSettingsError(
      'The provider sandbox refuses to start with APP_ENV=production: it is test equipment. ' +
        'Use real Stripe/PayPal keys in production and do not run `npm run sandbox`.',
    );
  }
}
