import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard, OAuthButtons } from '@/components/auth/auth-card';
import { SignUpForm } from '@/components/auth/auth-forms';
import { enabledOAuthProviders } from '@/lib/auth/auth';
import { currentUser } from '@/lib/auth/guards';
import { safeReturnPath } from '@/lib/safe-redirect';

export const metadata = { title: 'Create an account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const providers = await enabledOAuthProviders();
  return (
    <AuthCard
      title="Create an account"
      footer={
        <>
          Already have one?{' '}
          <Link className="text-brand-600 hover:underline" href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
            Sign in
          </Link>
        </>
      }
    >
      <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
      <SignUpForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
