import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { ResetPasswordForm } from '@/components/auth/auth-forms';
import { Alert } from '@/components/ui/alert';

export const metadata = { title: 'Choose a new password' };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <AuthCard title="Choose a new password">
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <Alert>
          This page needs the link from your email.{' '}
          <Link className="underline" href="/forgot-password">
            Ask for a new link
          </Link>
          .
        </Alert>
      )}
    </AuthCard>
  );
}
