/** Account use cases: sign up, check credentials, request and complete a password reset. */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { passwordResetTokens, users, type User } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { queueEmail } from '@/lib/email/outbox';
import { passwordResetEmail, welcomeEmail } from '@/lib/email/templates';
import { hashPassword, newPasswordSchema, verifyPassword } from './password';
import { clearSignInFailures, isSignInBlocked, recordSignInFailure } from './rate-limit';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address.').max(254, 'That email address is too long.'));

export const signUpSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(100, 'Use at most 100 characters.'),
  email: emailSchema,
  password: newPasswordSchema,
});
export type SignUpInput = z.input<typeof signUpSchema>;

export type FieldErrors = Partial<Record<string, string>>;
export type SignUpResult = { ok: true; user: Pick<User, 'id' | 'email' | 'role'> } | { ok: false; fieldErrors: FieldErrors };

interface Deps {
  db: Database;
  boss: PgBoss;
  adminEmails: string[];
  appUrl: string;
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}

export async function signUp(deps: Deps, input: unknown): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { name, email, password } = parsed.data;
  if (password.toLowerCase().includes(email.split('@')[0]) && email.split('@')[0].length >= 4) {
    return { ok: false, fieldErrors: { password: 'Your password must not contain your email address.' } };
  }
  const passwordHash = await hashPassword(password);
  const role = deps.adminEmails.includes(email) ? 'admin' : 'customer';
  return deps.db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ name, email, passwordHash, role })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, email: users.email, role: users.role });
    if (!user) return { ok: false, fieldErrors: { email: 'An account with this email already exists. Sign in instead.' } };
    await writeAudit(tx, { actorType: 'user', actorId: user.id, action: 'user.signed_up', entityType: 'user', entityId: user.id, after: { email, role } });
    await queueEmail(tx, deps.boss, email, welcomeEmail({ name, appUrl: deps.appUrl }));
    return { ok: true, user };
  });
}

export type CredentialsResult =
  | { ok: true; user: Pick<User, 'id' | 'email' | 'name' | 'role'> }
  | { ok: false; reason: 'invalid' | 'rate_limited' };

/** Checks an email and password, counting failures per email and client address. */
export async function checkCredentials(db: Database, input: { email: unknown; password: unknown; ip: string }, now = new Date()): Promise<CredentialsResult> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success || typeof input.password !== 'string' || input.password.length === 0 || input.password.length > 128) {
    return { ok: false, reason: 'invalid' };
  }
  if (await isSignInBlocked(db, email.data, input.ip, now)) return { ok: false, reason: 'rate_limited' };
  const [user] = await db.select().from(users).where(eq(users.email, email.data));
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : false;
  if (!user || !valid) {
    await recordSignInFailure(db, email.data, input.ip, now);
    return { ok: false, reason: 'invalid' };
  }
  await clearSignInFailures(db, email.data);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

export const RESET_TOKEN_TTL_MINUTES = 60;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Emails a reset link when the account exists; says nothing either way, so accounts cannot be probed. */
export async function requestPasswordReset(deps: Deps, input: unknown, now = new Date()): Promise<{ ok: true } | { ok: false; fieldErrors: FieldErrors }> {
  const parsed = z.object({ email: emailSchema }).safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const [user] = await deps.db.select({ id: users.id }).from(users).where(eq(users.email, parsed.data.email));
  if (!user) return { ok: true };
  const token = randomBytes(32).toString('base64url');
  await deps.db.transaction(async (tx) => {
    await tx.insert(passwordResetTokens).values({
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MINUTES * 60_000),
    });
    const resetUrl = `${deps.appUrl}/reset-password?token=${token}`;
    await queueEmail(tx, deps.boss, parsed.data.email, passwordResetEmail({ resetUrl, expiresInMinutes: RESET_TOKEN_TTL_MINUTES }));
  });
  return { ok: true };
}

const resetSchema = z.object({ token: z.string().min(20, 'This reset link is not valid.').max(200), password: newPasswordSchema });

export async function resetPassword(db: Database, input: unknown, now = new Date()): Promise<{ ok: true } | { ok: false; fieldErrors: FieldErrors }> {
  const parsed = resetSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const passwordHash = await hashPassword(parsed.data.password);
  const tokenHash = hashToken(parsed.data.token);
  return db.transaction(async (tx) => {
    // The account's row before its tokens: two of its links used at once then reset one after the
    // other, instead of each holding its own token while waiting for the other's.
    const [link] = await tx.select({ userId: passwordResetTokens.userId }).from(passwordResetTokens).where(eq(passwordResetTokens.tokenHash, tokenHash));
    if (link) await tx.select({ id: users.id }).from(users).where(eq(users.id, link.userId)).for('no key update');
    // Claiming the token in the same statement that checks it makes a link usable exactly once.
    const [claimed] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.tokenHash, tokenHash), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now)))
      .returning({ userId: passwordResetTokens.userId });
    if (!claimed) return { ok: false, fieldErrors: { token: 'This reset link has expired or was already used. Ask for a new one.' } };
    // Sessions signed in before this instant end (lib/auth/session-age). Taken after the hashing and the
    // wait for the lock, so a sign-in with the old password in the meantime ends too.
    const changedAt = new Date(Math.max(now.getTime(), Date.now()));
    const [user] = await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: changedAt })
      .where(eq(users.id, claimed.userId))
      .returning({ email: users.email });
    // Any other outstanding link for this account dies with the reset.
    await tx.update(passwordResetTokens).set({ usedAt: now }).where(and(eq(passwordResetTokens.userId, claimed.userId), isNull(passwordResetTokens.usedAt)));
    await writeAudit(tx, { actorType: 'user', actorId: claimed.userId, action: 'user.password_reset', entityType: 'user', entityId: claimed.userId });
    await clearSignInFailures(tx, user.email);
    return { ok: true };
  });
}
