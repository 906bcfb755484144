import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outboxEmails, passwordResetTokens, users } from '@/db/schema';
import { backendPid, openTestDatabase, sessionsBlockedBy, testDatabaseKind, type TestDatabase } from '@/test/database';
import { checkCredentials, requestPasswordReset, resetPassword, signUp } from './accounts';
import { MAX_FAILURES_PER_EMAIL } from './rate-limit';

describe(`accounts (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  let deps: Parameters<typeof signUp>[0];
  const userCount = async () => (await t.handle.db.select({ n: count() }).from(users))[0].n;

  beforeAll(async () => {
    t = await openTestDatabase();
    deps = { db: t.handle.db, boss: t.boss, adminEmails: ['boss@example.com'], appUrl: 'http://app.test' };
  });
  afterAll(async () => t?.close());

  it('signs up a customer with a hashed password, an audit entry and a welcome email', async () => {
    const result = await signUp(deps, { name: 'Jo', email: ' Jo@Example.com ', password: 'correct horse battery' });
    expect(result).toMatchObject({ ok: true, user: { email: 'jo@example.com', role: 'customer' } });
    const [row] = await t.handle.db.select().from(users).where(eq(users.email, 'jo@example.com'));
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.passwordHash).not.toContain('correct horse');
    const audit = await t.handle.db.select().from(auditLog).where(eq(auditLog.entityId, row.id));
    expect(audit.map((a) => a.action)).toEqual(['user.signed_up']);
    const emails = await t.handle.db.select().from(outboxEmails).where(eq(outboxEmails.to, 'jo@example.com'));
    expect(emails.map((e) => e.template)).toEqual(['welcome']);
  });

  it('makes ADMIN_EMAILS sign-ups admins', async () => {
    expect(await signUp(deps, { name: 'Boss', email: 'boss@example.com', password: 'a long enough secret' })).toMatchObject({ ok: true, user: { role: 'admin' } });
  });

  it('refuses an existing email, a weak password and a malformed email, writing nothing', async () => {
    const before = await userCount();
    expect(await signUp(deps, { name: 'Jo again', email: 'JO@example.com', password: 'another fine password' })).toEqual({
      ok: false,
      fieldErrors: { email: 'An account with this email already exists. Sign in instead.' },
    });
    const weak = await signUp(deps, { name: 'W', email: 'weak@example.com', password: 'short' });
    expect(weak).toEqual({ ok: false, fieldErrors: { password: 'Use at least 10 characters.' } });
    const common = await signUp(deps, { name: 'W', email: 'weak@example.com', password: 'password123' });
    expect(common).toEqual({ ok: false, fieldErrors: { password: 'This password is too common; choose another.' } });
    const bad = await signUp(deps, { name: 'B', email: 'not-an-email', password: 'a long enough secret' });
    expect(bad).toEqual({ ok: false, fieldErrors: { email: 'Enter a valid email address.' } });
    const missing = await signUp(deps, {});
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(Object.keys(missing.fieldErrors).sort()).toEqual(['email', 'name', 'password']);
    expect(await userCount()).toBe(before);
  });

  it('checks credentials and rate-limits repeated failures per email', async () => {
    const ip = '203.0.113.7';
    expect(await checkCredentials(t.handle.db, { email: 'jo@example.com', password: 'correct horse battery', ip })).toMatchObject({ ok: true });
    expect(await checkCredentials(t.handle.db, { email: 'jo@example.com', password: 'wrong', ip })).toEqual({ ok: false, reason: 'invalid' });
    expect(await checkCredentials(t.handle.db, { email: 'nobody@example.com', password: 'x', ip })).toEqual({ ok: false, reason: 'invalid' });
    for (let i = 1; i < MAX_FAILURES_PER_EMAIL; i++) await checkCredentials(t.handle.db, { email: 'jo@example.com', password: 'wrong', ip });
    // Even the right password is refused while the email is locked.
    expect(await checkCredentials(t.handle.db, { email: 'jo@example.com', password: 'correct horse battery', ip })).toEqual({ ok: false, reason: 'rate_limited' });
    // The window passes.
    const later = new Date(Date.now() + 16 * 60 * 1000);
    expect(await checkCredentials(t.handle.db, { email: 'jo@example.com', password: 'correct horse battery', ip }, later)).toMatchObject({ ok: true });
  });

  it('resets a password through an emailed link that works once', async () => {
    expect(await requestPasswordReset(deps, { email: 'nobody@example.com' })).toEqual({ ok: true });
    expect(await requestPasswordReset(deps, { email: 'Jo@example.com' })).toEqual({ ok: true });
    const [email] = await t.handle.db.select().from(outboxEmails).where(eq(outboxEmails.template, 'password_reset'));
    expect(email.to).toBe('jo@example.com');
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(email.text)![1];
    const [stored] = await t.handle.db.select().from(passwordResetTokens);
    expect(stored.tokenHash).not.toBe(token);

    expect(await resetPassword(t.handle.db, { token, password: 'short' })).toEqual({ ok: false, fieldErrors: { password: 'Use at least 10 characters.' } });
    expect(await resetPassword(t.handle.db, { token, password: 'a brand new passphrase' })).toEqual({ ok: true });
    expect(await resetPassword(t.handle.db, { token, password: 'yet another passphrase' })).toMatchObject({ ok: false, fieldErrors: { token: expect.stringMatching(/expired or was already used/) } });
    expect(await checkCredentials(t.handle.db, { email: 'jo@example.com', password: 'correct horse battery', ip: '198.51.100.1' })).toMatchObject({ ok: false });
    expect(await checkCredentials(t.handle.db, { email: 'jo@example.com', password: 'a brand new passphrase', ip: '198.51.100.1' })).toMatchObject({ ok: true });
  });

  it('refuses an expired reset link', async () => {
    await requestPasswordReset(deps, { email: 'boss@example.com' }, new Date(Date.now() - 2 * 60 * 60 * 1000));
    const emails = await t.handle.db.select().from(outboxEmails).where(eq(outboxEmails.to, 'boss@example.com'));
    const reset = emails.find((e) => e.template === 'password_reset')!;
    const token = /token=([A-Za-z0-9_-]+)/.exec(reset.text)![1];
    expect(await resetPassword(t.handle.db, { token, password: 'a brand new passphrase' })).toMatchObject({ ok: false });
  });

  // Two transactions at once need two connections: PostgreSQL only (PGlite has one and runs them in turn).
  if (testDatabaseKind === 'postgres') it('two reset links of one account used at the same moment: one resets, the other is told it was used', async () => {
    await signUp(deps, { name: 'Twice', email: 'twice@example.com', password: 'the first passphrase' });
    await requestPasswordReset(deps, { email: 'twice@example.com' });
    await requestPasswordReset(deps, { email: 'twice@example.com' });
    const emails = await t.handle.db.select().from(outboxEmails).where(eq(outboxEmails.to, 'twice@example.com'));
    const tokens = emails.filter((e) => e.template === 'password_reset').map((e) => /token=([A-Za-z0-9_-]+)/.exec(e.text)![1]);
    expect(tokens).toHaveLength(2);
    // Both resets are let in while the account is held (FOR SHARE: a token's foreign key check gets
    // through, a change of the account does not), then run at once when it is released.
    let results!: Promise<unknown[]>;
    await t.handle.db.transaction(async (tx) => {
      const holder = await backendPid(tx);
      await tx.select({ id: users.id }).from(users).where(eq(users.email, 'twice@example.com')).for('share');
      results = Promise.all(tokens.map((token, i) => resetPassword(t.handle.db, { token, password: `new passphrase number ${i}` }).catch((e) => e)));
      await expect.poll(() => sessionsBlockedBy(t.handle.db, holder), { timeout: 10_000 }).toBe(2);
    });
    const outcomes = await results;
    expect(outcomes.filter((r) => (r as { ok?: boolean }).ok === true)).toHaveLength(1);
    expect(outcomes.filter((r) => (r as { ok?: boolean }).ok !== true)).toMatchObject([{ ok: false, fieldErrors: { token: expect.stringMatching(/expired or was already used/) } }]);
  });
});
