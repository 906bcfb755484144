import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard, OAuthButtons } from '@/components/auth/auth-card';
import { SignInForm } from '@/components/auth/auth-forms';
import { Alert } from '@/components/ui/alert';
import { enabledOAuthProviders } from '@/lib/auth/auth';
import { currentUser } from '@/lib/auth/guards';
import { safeReturnPath } from '@/lib/safe-redirect';

export const metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const providers = await enabledOAuthProviders();
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          New here?{' '}
          <Link className="text-brand-600 hover:underline" href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
            Create an account
          </Link>
        </>
      }
    >
      {params.reset ? <Alert tone="success">Your password was changed. Sign in with the new one.</Alert> : null}
      {params.error ? <Alert>Sign-in did not complete. Try again.</Alert> : null}
      <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
      <SignInForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
