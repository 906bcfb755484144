/**
 * Where the browser lands after paying elsewhere (3-D Secure redirect, PayPal, Stripe's hosted page):
 * the server re-reads the payment at the provider and fulfils, whatever the query string claims.
 */
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { RefreshSoon } from '@/components/checkout/refresh-soon';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/guards';
import { checkoutOfUser } from '@/lib/checkout/access';
import { CheckoutError } from '@/lib/checkout/errors';
import { checkoutPath } from '@/lib/checkout/path';
import { fulfilCheckout, type FulfilResult } from '@/lib/checkout/fulfil';
import { checkoutDeps } from '@/lib/checkout/http';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Confirming your payment' };

export default async function CheckoutReturnPage({ searchParams }: { searchParams: Promise<{ checkout?: string }> }) {
  const { checkout: checkoutId = '' } = await searchParams;
  const user = await requireUser(`/checkout/return?checkout=${encodeURIComponent(checkoutId)}`);
  const runtime = await getRuntime();
  let result: FulfilResult;
  let retryHref = '/pricing';
  try {
    const checkout = await checkoutOfUser(runtime.db, user.id, checkoutId);
    retryHref = checkoutPath(checkout.priceId, checkout.quantity);
    result = await fulfilCheckout(checkoutDeps(runtime), checkout.id, new Date(), { type: 'user', id: user.id });
  } catch (error) {
    if (!(error instanceof CheckoutError)) throw error;
    const href = error.href === '/billing' ? '/billing' : retryHref;
    return (
      <Card className="mx-auto max-w-lg space-y-4">
        <CardTitle>The payment did not go through</CardTitle>
        <Alert>{error.message}</Alert>
        <Link className="text-brand-600 hover:underline" href={href}>
          {href === '/billing' ? 'Go to billing' : 'Try again'}
        </Link>
      </Card>
    );
  }
  if (result.status === 'completed') redirect(`/checkout/success?checkout=${result.checkoutId}`);
  return (
    <Card className="mx-auto max-w-lg space-y-4">
      <CardTitle>Confirming your payment…</CardTitle>
      <p className="text-sm text-slate-600">The payment provider is still working on it. This page updates by itself; you can also close it, and we email you when it is done.</p>
      <RefreshSoon />
    </Card>
  );
}
