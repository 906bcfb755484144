'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { PaymentClientConfig } from '@/lib/checkout/client-config';
import { messageOf } from './checkout-api';
import { stripeOnce } from './load-stripe';

/** Confirms an invoice's PaymentIntent with its saved card, showing the bank's 3-D Secure challenge. */
export function ConfirmInvoicePayment(props: { invoiceId: string; clientSecret: string; paymentMethodId: string | null; amount: string; config: PaymentClientConfig }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const stripe = await stripeOnce(props.config.stripePublishableKey, props.config.stripeJsUrl);
      if (!stripe) throw new Error('The card form could not load. Try again.');
      const result = await stripe.confirmCardPayment(props.clientSecret, props.paymentMethodId ? { payment_method: props.paymentMethodId } : undefined);
      if (result.error) throw new Error(result.error.message ?? 'The payment was not confirmed.');
      const response = await fetch(`/api/invoices/${props.invoiceId}/refresh`, { method: 'POST' });
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error ?? 'Something went wrong. Try again.');
      router.push(`/billing/invoices/${props.invoiceId}`);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <div className="space-y-4">
      {error ? <Alert>{error}</Alert> : null}
      <Button onClick={confirm} disabled={busy}>
        {busy ? 'Confirming…' : `Confirm payment of ${props.amount}`}
      </Button>
    </div>
  );
}
