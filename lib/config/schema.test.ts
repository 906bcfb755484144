import { describe, expect, it } from 'vitest';
import { parseConfig } from './schema';

const ok = (env: Record<string, string>) => {
  const result = parseConfig(env);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
};
const problems = (env: Record<string, string>) => {
  const result = parseConfig(env);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
};

const liveKeys = {
  STRIPE_SECRET_KEY: 'sk_live_abc',
  STRIPE_PUBLISHABLE_KEY: 'pk_live_abc',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc',
  PAYPAL_CLIENT_ID: 'id',
  PAYPAL_CLIENT_SECRET: 'secret',
  PAYPAL_WEBHOOK_ID: 'WH-1',
};

describe('parseConfig', () => {
  it('defaults to sandbox mode on the embedded database with the sandbox keys', () => {
    const config = ok({});
    expect(config.mode).toBe('sandbox');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data' });
    expect(config.stripe.secretKey).toMatch(/^sk_test_/);
    expect(config.stripe.apiBase).toBe('http://127.0.0.1:12111');
    expect(config.paypal.apiBase).toBe('http://127.0.0.1:12111/paypal');
    expect(config.seedDemoData).toBe(true);
  });

  it('reads where tax is collected, with a demo set in sandbox mode only', () => {
    expect(ok({}).tax).toEqual({ country: 'US', registrations: ['US-CA', 'US-NY', 'US-TX', 'US-WA', 'EU', 'GB', 'AU', 'CA'] });
    expect(ok({ TAX_REGISTRATIONS: '' }).tax.registrations).toContain('EU');
    expect(ok({ SELLER_COUNTRY: 'de', TAX_REGISTRATIONS: 'EU, GB' }).tax).toEqual({ country: 'DE', registrations: ['EU', 'GB'] });
    expect(ok({ ...liveKeys }).tax.registrations).toEqual([]);
    expect(problems({ SELLER_COUNTRY: 'Germany', TAX_REGISTRATIONS: 'EU,ZZ-9' }).join('\n')).toMatch(/SELLER_COUNTRY[\s\S]*TAX_REGISTRATIONS|TAX_REGISTRATIONS[\s\S]*SELLER_COUNTRY/);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(ok({ DATABASE_URL: 'postgres://u@localhost:5432/app' }).database).toEqual({ kind: 'postgres', url: 'postgres://u@localhost:5432/app' });
  });

  it('infers test and live modes from the Stripe key', () => {
    expect(ok({ ...liveKeys, STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_PUBLISHABLE_KEY: 'pk_test_1' }).mode).toBe('test');
    expect(ok(liveKeys).mode).toBe('live');
    expect(ok(liveKeys).paypal.apiBase).toBe('https://api-m.paypal.com');
    expect(ok(liveKeys).sandbox).toBeNull();
  });

  it('names every bad setting at once', () => {
    const list = problems({ APP_URL: 'not a url', SANDBOX_PORT: '99999', DATABASE_URL: 'mysql://x', ADMIN_EMAILS: 'a@b.co, nope' });
    expect(list.some((p) => p.startsWith('APP_URL:'))).toBe(true);
    expect(list.some((p) => p.startsWith('SANDBOX_PORT:'))).toBe(true);
    expect(list.some((p) => p.startsWith('DATABASE_URL:'))).toBe(true);
    expect(list.some((p) => p.startsWith('ADMIN_EMAILS'))).toBe(true);
  });

  it('requires every provider setting outside sandbox mode', () => {
    const list = problems({ STRIPE_SECRET_KEY: 'sk_test_1' });
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^STRIPE_PUBLISHABLE_KEY: required/),
        expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: required/),
        expect.stringMatching(/^PAYPAL_CLIENT_ID: required/),
        expect.stringMatching(/^PAYPAL_WEBHOOK_ID: required/),
      ]),
    );
  });

  it('refuses sandbox mode in production and says why', () => {
    const list = problems({ APP_ENV: 'production' });
    expect(list.some((p) => p.startsWith('PAYMENTS_MODE: sandbox mode is refused'))).toBe(true);
    expect(list.some((p) => p.startsWith('AUTH_SECRET'))).toBe(true);
    expect(list.some((p) => p.startsWith('DATABASE_URL'))).toBe(true);
  });

  it('refuses test keys and the PayPal sandbox in production', () => {
    const env = {
      ...liveKeys,
      APP_ENV: 'production',
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_1',
      PAYPAL_API_BASE: 'https://api-m.sandbox.paypal.com',
      AUTH_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://u@db/app',
      APP_URL: 'https://billing.example.com',
    };
    const list = problems(env);
    expect(list.some((p) => p.startsWith('STRIPE_SECRET_KEY: a test key'))).toBe(true);
    expect(list.some((p) => p.startsWith('STRIPE_PUBLISHABLE_KEY: a test key'))).toBe(true);
    expect(list.some((p) => p.startsWith("PAYPAL_API_BASE: PayPal's sandbox"))).toBe(true);
  });

  it('accepts a complete live production configuration', () => {
    const config = ok({ ...liveKeys, APP_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://u@db/app', APP_URL: 'https://billing.example.com' });
    expect(config.mode).toBe('live');
    expect(config.seedDemoData).toBe(false);
  });

  it('enables an OAuth provider only with both its id and secret', () => {
    expect(ok({ AUTH_GITHUB_ID: 'id', AUTH_GITHUB_SECRET: 's' }).oauth.github).toEqual({ clientId: 'id', clientSecret: 's' });
    expect(ok({}).oauth.google).toBeNull();
    expect(problems({ AUTH_GOOGLE_ID: 'id' })).toEqual(['AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET: set both or neither']);
  });

  it('lower-cases admin emails', () => {
    expect(ok({ ADMIN_EMAILS: 'Boss@Example.com, ops@example.com' }).adminEmails).toEqual(['boss@example.com', 'ops@example.com']);
  });

  it('reads the past-due grace period in whole days, 7 by default, from 0 to 90', () => {
    expect(ok({}).billing.pastDueGraceDays).toBe(7);
    expect(ok({ PAST_DUE_GRACE_DAYS: '' }).billing.pastDueGraceDays).toBe(7);
    expect(ok({ PAST_DUE_GRACE_DAYS: ' 14 ' }).billing.pastDueGraceDays).toBe(14);
    expect(ok({ PAST_DUE_GRACE_DAYS: '0' }).billing.pastDueGraceDays).toBe(0);
    expect(ok({ PAST_DUE_GRACE_DAYS: '90' }).billing.pastDueGraceDays).toBe(90);
    for (const bad of ['91', '-1', '7.5', '1e1', 'seven', '7 days', '1000']) {
      expect(problems({ PAST_DUE_GRACE_DAYS: bad }), bad).toEqual([`PAST_DUE_GRACE_DAYS: expected a whole number of days from 0 to 90, got "${bad}"`]);
    }
  });

  it('reads the dunning schedule and what happens when it runs out', () => {
    expect(ok({}).billing).toMatchObject({ retryDays: [3, 7, 14], retriesExhausted: 'cancel' });
    expect(ok({ DUNNING_RETRY_DAYS: '1, 2,5', RETRIES_EXHAUSTED: 'mark_unpaid' }).billing).toMatchObject({ retryDays: [1, 2, 5], retriesExhausted: 'mark_unpaid' });
    expect(ok({ DUNNING_RETRY_DAYS: 'none' }).billing.retryDays).toEqual([]);
    const result = parseConfig({ DUNNING_RETRY_DAYS: '7,3', RETRIES_EXHAUSTED: 'delete' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toContainEqual(expect.stringMatching(/^DUNNING_RETRY_DAYS: retry 2: days must increase/));
      expect(result.problems).toContainEqual(expect.stringMatching(/^RETRIES_EXHAUSTED:/));
    }
  });
});
