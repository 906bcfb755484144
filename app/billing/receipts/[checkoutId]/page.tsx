import { notFound } from 'next/navigation';
import { ReceiptDetails } from '@/components/checkout/receipt-details';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/guards';
import { CheckoutForbiddenError, CheckoutNotFoundError } from '@/lib/checkout/errors';
import { checkoutReceipt, type CheckoutReceipt } from '@/lib/checkout/receipt';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Receipt' };

export default async function ReceiptPage({ params }: { params: Promise<{ checkoutId: string }> }) {
  const { checkoutId } = await params;
  const user = await requireUser(`/billing/receipts/${encodeURIComponent(checkoutId)}`);
  let receipt: CheckoutReceipt;
  try {
    receipt = await checkoutReceipt((await getRuntime()).db, user.id, checkoutId);
  } catch (error) {
    // Another customer's receipt is as absent as a missing one: its existence is not disclosed.
    if (error instanceof CheckoutNotFoundError || error instanceof CheckoutForbiddenError) notFound();
    throw error;
  }
  if (receipt.status !== 'completed') notFound();
  return (
    <Card className="mx-auto max-w-lg space-y-4">
      <CardTitle>Receipt</CardTitle>
      <p className="text-xs text-slate-500">Receipt number {receipt.checkoutId}</p>
      <ReceiptDetails receipt={receipt} />
    </Card>
  );
}
