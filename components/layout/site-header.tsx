import Link from 'next/link';
import { signOutAction } from '@/app/(auth)/actions';
import { Button } from '@/components/ui/button';
import { currentUser } from '@/lib/auth/guards';
import { UserMenu } from './user-menu';

export async function SiteHeader() {
  const user = await currentUser();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4" aria-label="Main">
        <Link href="/" className="font-semibold text-slate-900">
          Billing
        </Link>
        <div className="flex flex-1 items-center gap-4 text-sm text-slate-600">
          <Link href="/pricing" className="hover:text-slate-900">
            Pricing
          </Link>
          {user ? (
            <Link href="/billing" className="hover:text-slate-900">
              Billing
            </Link>
          ) : null}
          {user?.role === 'admin' ? (
            <Link href="/admin" className="hover:text-slate-900">
              Admin
            </Link>
          ) : null}
        </div>
        {user ? (
          <UserMenu email={user.email ?? ''} name={user.name ?? null} role={user.role} signOut={signOutAction} />
        ) : (
          <div className="flex items-center gap-2">
            <Button asChild variant="ghost" size="sm">
              <Link href="/signin">Sign in</Link>
            </Button>
            <Button asChild size="sm">
              <Link href="/signup">Sign up</Link>
            </Button>
          </div>
        )}
      </nav>
    </header>
  );
}
