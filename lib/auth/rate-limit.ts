/**
 * Sign-in throttling, stored in the database so every web process sees the same counts: at most
 * 5 failures per email and 20 per client address in 15 minutes.
 */
import { and, count, eq, gte, lt } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { signInFailures } from '@/db/schema';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;

export async function isSignInBlocked(db: DbOrTx, email: string, ip: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const [byEmail] = await db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.email, email), gte(signInFailures.createdAt, since)));
  if (byEmail.n >= MAX_FAILURES_PER_EMAIL) return true;
  const [byIp] = await db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.ip, ip), gte(signInFailures.createdAt, since)));
  return byIp.n >= MAX_FAILURES_PER_IP;
}

export async function recordSignInFailure(db: DbOrTx, email: string, ip: string, now: Date): Promise<void> {
  await db.insert(signInFailures).values({ email, ip, createdAt: now });
  // Keep the table small: drop what has left every window.
  await db.delete(signInFailures).where(lt(signInFailures.createdAt, new Date(now.getTime() - 2 * SIGN_IN_WINDOW_MS)));
}

export async function clearSignInFailures(db: DbOrTx, email: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.email, email));
}
