import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { ForgotPasswordForm } from '@/components/auth/auth-forms';

export const metadata = { title: 'Reset your password' };

export default function ForgotPasswordPage() {
  return (
    <AuthCard
      title="Reset your password"
      footer={
        <Link className="text-brand-600 hover:underline" href="/signin">
          Back to sign in
        </Link>
      }
    >
      <p className="text-sm text-slate-600">Enter your account&apos;s email and we&apos;ll send you a link to choose a new password.</p>
      <ForgotPasswordForm />
    </AuthCard>
  );
}
