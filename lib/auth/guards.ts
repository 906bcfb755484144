/** Server-side access checks for pages and route handlers. The UI may hide things; these decide. */
import { forbidden, redirect } from 'next/navigation';
import { auth, type Role } from './auth';

export async function currentUser() {
  const session = await auth();
  return session?.user ?? null;
}

/** The signed-in user, or a redirect to sign-in that returns to `returnTo` afterwards. */
export async function requireUser(returnTo: string) {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** The signed-in user if their role is allowed; otherwise sign-in (anonymous) or 403 (signed in). */
export async function requireRole(roles: Role[], returnTo: string) {
  const user = await requireUser(returnTo);
  if (!roles.includes(user.role)) forbidden();
  return user;
}

/** For route handlers: a JSON 401/403 response, or null when allowed. */
export async function apiAccess(roles: Role[]) {
  const user = await currentUser();
  if (!user) return { user: null, denied: Response.json({ error: 'Sign in first.' }, { status: 401 }) };
  if (!roles.includes(user.role)) return { user, denied: Response.json({ error: 'You do not have access to this.' }, { status: 403 }) };
  return { user, denied: null };
}
