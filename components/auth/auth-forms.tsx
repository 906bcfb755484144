'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { forgotPasswordAction, resetPasswordAction, signInAction, signUpAction, type FormState } from '@/app/(auth)/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';

const initial: FormState = {};

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(signInAction, initial);
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? <Alert>{state.error}</Alert> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormField label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} />
      <FormField label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
      <p className="text-sm text-slate-600">
        <Link className="text-brand-600 hover:underline" href="/forgot-password">
          Forgot your password?
        </Link>
      </p>
    </form>
  );
}

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(signUpAction, initial);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? <Alert>{state.error}</Alert> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormField label="Name" name="name" autoComplete="name" required defaultValue={state.values?.name} error={errors.name} />
      <FormField label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} error={errors.email} />
      <FormField label="Password" name="password" type="password" autoComplete="new-password" required error={errors.password} />
      <p className="text-xs text-slate-500">At least 10 characters; avoid common passwords.</p>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Creating your account…' : 'Create account'}
      </Button>
    </form>
  );
}

export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState(forgotPasswordAction, initial);
  if (state.done) {
    return <Alert tone="success">If an account exists for that email, we have sent a link to reset its password.</Alert>;
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormField label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} error={state.fieldErrors?.email} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Sending…' : 'Email me a reset link'}
      </Button>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(resetPasswordAction, initial);
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? <Alert>{state.error}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <FormField label="New password" name="password" type="password" autoComplete="new-password" required error={state.fieldErrors?.password} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Saving…' : 'Set new password'}
      </Button>
    </form>
  );
}
