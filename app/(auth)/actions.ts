'use server';

import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import { requestPasswordReset, resetPassword, signUp, type FieldErrors } from '@/lib/auth/accounts';
import { signIn, signOut } from '@/lib/auth/auth';
import { getRuntime } from '@/lib/runtime';
import { safeReturnPath } from '@/lib/safe-redirect';

export interface FormState {
  error?: string;
  fieldErrors?: FieldErrors;
  values?: Record<string, string>;
  done?: boolean;
}

const text = (form: FormData, key: string) => {
  const value = form.get(key);
  return typeof value === 'string' ? value : '';
};

async function signInWithPassword(email: string, password: string, returnTo: string): Promise<FormState> {
  try {
    await signIn('credentials', { email, password, redirectTo: returnTo });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const rateLimited = 'code' in error && error.code === 'rate_limited';
      return {
        error: rateLimited
          ? 'Too many failed sign-in attempts. Wait 15 minutes, or reset your password.'
          : 'That email and password do not match an account.',
        values: { email },
      };
    }
    throw error; // the redirect that signals success, or a real failure
  }
}

export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  return signInWithPassword(text(form, 'email'), text(form, 'password'), safeReturnPath(text(form, 'callbackUrl')));
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { db, boss, config } = await getRuntime();
  const input = { name: text(form, 'name'), email: text(form, 'email'), password: text(form, 'password') };
  const result = await signUp({ db, boss, adminEmails: config.adminEmails, appUrl: config.appUrl }, input);
  if (!result.ok) return { fieldErrors: result.fieldErrors, values: { name: input.name, email: input.email } };
  return signInWithPassword(result.user.email, input.password, safeReturnPath(text(form, 'callbackUrl')));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/' });
}

export async function forgotPasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { db, boss, config } = await getRuntime();
  const result = await requestPasswordReset({ db, boss, adminEmails: config.adminEmails, appUrl: config.appUrl }, { email: text(form, 'email') });
  if (!result.ok) return { fieldErrors: result.fieldErrors, values: { email: text(form, 'email') } };
  return { done: true };
}

export async function resetPasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { db } = await getRuntime();
  const result = await resetPassword(db, { token: text(form, 'token'), password: text(form, 'password') });
  if (!result.ok) return { fieldErrors: result.fieldErrors, error: result.fieldErrors.token };
  redirect('/signin?reset=1');
}

export async function oauthSignInAction(form: FormData): Promise<void> {
  const provider = text(form, 'provider');
  if (provider !== 'github' && provider !== 'google') throw new Error('Unknown sign-in provider.');
  await signIn(provider, { redirectTo: safeReturnPath(text(form, 'callbackUrl')) });
}
