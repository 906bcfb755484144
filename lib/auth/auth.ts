/**
 * Auth.js (next-auth v5): email and password through the Credentials provider, GitHub and Google
 * when configured, users and OAuth accounts in our database through the drizzle adapter, sessions in
 * signed JWT cookies (stateless web processes). The role is re-read from the database on every
 * session check, so a demotion takes effect at once; a password reset ends older sessions.
 */
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import GitHub from 'next-auth/providers/github';
import Google from 'next-auth/providers/google';
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { eq } from 'drizzle-orm';
import { accounts, sessions, users, verificationTokens } from '@/db/schema';
import { log } from '@/lib/log';
import { getRuntime } from '@/lib/runtime';
import { checkCredentials } from './accounts';
import { resolveAuthSecret } from './secret';
import { endedByPasswordChange, signedInAtOf } from './session-age';

export type Role = 'customer' | 'support' | 'admin';

class SignInRateLimited extends CredentialsSignin {
  code = 'rate_limited';
}

function clientAddress(request: Request | undefined): string {
  const forwarded = request?.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || request?.headers.get('x-real-ip') || 'unknown';
}

async function buildConfig(): Promise<NextAuthConfig> {
  const { config, db } = await getRuntime();
  const providers: NextAuthConfig['providers'] = [
    Credentials({
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        const result = await checkCredentials(db, { email: credentials.email, password: credentials.password, ip: clientAddress(request) });
        if (result.ok) return result.user;
        if (result.reason === 'rate_limited') throw new SignInRateLimited();
        return null;
      },
    }),
  ];
  if (config.oauth.github) providers.push(GitHub({ clientId: config.oauth.github.clientId, clientSecret: config.oauth.github.clientSecret }));
  if (config.oauth.google) providers.push(Google({ clientId: config.oauth.google.clientId, clientSecret: config.oauth.google.clientSecret }));

  return {
    adapter: DrizzleAdapter(db, { usersTable: users, accountsTable: accounts, sessionsTable: sessions, verificationTokensTable: verificationTokens }),
    secret: resolveAuthSecret(config),
    trustHost: true,
    logger: {
      // A wrong password is an expected outcome, counted by the rate limiter, not a server error.
      // (Checked by type, not name: production builds minify class names.)
      error: (error) => ((error as { type?: string }).type === 'CredentialsSignin' ? undefined : log.error('auth error', { error })),
      warn: (code) => log.warn('auth warning', { code }),
      debug: () => {},
    },
    session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: '/signin', error: '/signin' },
    providers,
    callbacks: {
      async jwt({ token, user }) {
        const id = user?.id ?? token.sub;
        if (!id) return null;
        const [row] = await db
          .select({ role: users.role, email: users.email, name: users.name, passwordChangedAt: users.passwordChangedAt })
          .from(users)
          .where(eq(users.id, id));
        if (!row) return null;
        const signedInAt = user ? Date.now() : signedInAtOf(token, Date.now());
        if (!user && endedByPasswordChange(row.passwordChangedAt, signedInAt)) return null;
        return { ...token, signedInAt, sub: id, role: row.role, email: row.email, name: row.name };
      },
      session({ session, token }) {
        session.user.id = token.sub as string;
        session.user.role = token.role as Role;
        return session;
      },
    },
    events: {
      // OAuth sign-ups listed in ADMIN_EMAILS become admins, as email sign-ups do.
      async createUser({ user }) {
        if (user.email && user.id && config.adminEmails.includes(user.email.toLowerCase())) {
          await db.update(users).set({ role: 'admin' }).where(eq(users.id, user.id));
        }
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(buildConfig);

export async function enabledOAuthProviders(): Promise<Array<{ id: 'github' | 'google'; name: string }>> {
  const { config } = await getRuntime();
  const out: Array<{ id: 'github' | 'google'; name: string }> = [];
  if (config.oauth.github) out.push({ id: 'github', name: 'GitHub' });
  if (config.oauth.google) out.push({ id: 'google', name: 'Google' });
  return out;
}
