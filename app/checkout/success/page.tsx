import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ReceiptDetails } from '@/components/checkout/receipt-details';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/guards';
import { checkoutReceipt } from '@/lib/checkout/receipt';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Thank you' };

export default async function CheckoutSuccessPage({ searchParams }: { searchParams: Promise<{ checkout?: string }> }) {
  const { checkout = '' } = await searchParams;
  const user = await requireUser(`/checkout/success?checkout=${encodeURIComponent(checkout)}`);
  const receipt = await checkoutReceipt((await getRuntime()).db, user.id, checkout);
  // Only a fulfilled checkout is a success; anything else goes where its state is explained.
  if (receipt.status !== 'completed') redirect(`/checkout/return?checkout=${receipt.checkoutId}`);
  return (
    <Card className="mx-auto max-w-lg space-y-4">
      <CardTitle>{receipt.subscription?.status === 'trialing' ? 'Your trial has started' : 'Thank you for your purchase'}</CardTitle>
      <p className="text-sm text-slate-600">A receipt is on its way to your email.</p>
      <ReceiptDetails receipt={receipt} />
      <div className="flex gap-3">
        <Button asChild>
          <Link href={`/billing/receipts/${receipt.checkoutId}`}>View receipt</Link>
        </Button>
        <Button asChild variant="secondary">
          <Link href="/billing">Go to billing</Link>
        </Button>
      </div>
    </Card>
  );
}
