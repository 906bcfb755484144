import type { ReactNode } from 'react';
import { oauthSignInAction } from '@/app/(auth)/actions';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-sm py-12">
      <Card className="space-y-6">
        <h1 className="text-2xl font-semibold">{title}</h1>
        {children}
      </Card>
      {footer ? <div className="mt-4 text-center text-sm text-slate-600">{footer}</div> : null}
    </div>
  );
}

/** GitHub and Google buttons, shown only for the providers that are configured. */
export function OAuthButtons({ providers, callbackUrl }: { providers: Array<{ id: string; name: string }>; callbackUrl: string }) {
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2">
      {providers.map((p) => (
        <form key={p.id} action={oauthSignInAction}>
          <input type="hidden" name="provider" value={p.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Button type="submit" variant="secondary" className="w-full">
            Continue with {p.name}
          </Button>
        </form>
      ))}
      <p className="text-center text-xs uppercase tracking-wide text-slate-400">or</p>
    </div>
  );
}
