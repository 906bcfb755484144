import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConfirmInvoicePayment } from '@/components/checkout/confirm-invoice-payment';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/guards';
import { formatMoney, money } from '@/lib/billing';
import { paymentClientConfig } from '@/lib/checkout/client-config';
import { InvoiceNotFoundError } from '@/lib/invoices/document';
import { invoicePayment, type InvoicePayment } from '@/lib/invoices/pay';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Confirm your payment' };

export default async function PayInvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/billing/invoices/${encodeURIComponent(id)}/pay`);
  const runtime = await getRuntime();
  let payment: InvoicePayment;
  try {
    payment = await invoicePayment({ db: runtime.db, gateways: runtime.gateways, seller: runtime.config.seller }, user, id);
  } catch (error) {
    if (error instanceof InvoiceNotFoundError) notFound();
    throw error;
  }
  const amount = formatMoney(money(payment.amountRemaining, payment.currency));
  return (
    <Card className="mx-auto max-w-lg space-y-4">
      <CardTitle>Invoice {payment.number}</CardTitle>
      {payment.clientSecret ? (
        <>
          <p className="text-sm text-slate-600">Your bank asks you to confirm this payment with your saved card.</p>
          <ConfirmInvoicePayment invoiceId={payment.invoiceId} clientSecret={payment.clientSecret} paymentMethodId={payment.paymentMethodId} amount={amount} config={paymentClientConfig(runtime.config)} />
        </>
      ) : (
        <p className="text-sm text-slate-600">
          This invoice needs nothing from you ({payment.status}).{' '}
          <Link className="text-brand-600 hover:underline" href={`/billing/invoices/${payment.invoiceId}`}>
            View the invoice
          </Link>
          .
        </p>
      )}
    </Card>
  );
}
