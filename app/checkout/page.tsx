import Link from 'next/link';
import { BillingDetailsForm } from '@/components/checkout/billing-details-form';
import { CouponForm } from '@/components/checkout/coupon-form';
import { OrderSummary } from '@/components/checkout/order-summary';
import { PaymentOptions } from '@/components/checkout/payment-options';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/guards';
import { formatMoney } from '@/lib/billing';
import { paymentClientConfig } from '@/lib/checkout/client-config';
import { CheckoutError } from '@/lib/checkout/errors';
import { checkoutPath } from '@/lib/checkout/path';
import { checkoutDeps } from '@/lib/checkout/http';
import { previewCheckout, type CheckoutPreview } from '@/lib/checkout/preview';
import { BILLING_COUNTRIES } from '@/lib/countries';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Checkout' };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function CheckoutPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const priceId = one(params.price);
  const quantityText = one(params.quantity) || '1';
  const couponCode = one(params.coupon).trim() || null;
  const user = await requireUser(checkoutPath(priceId, quantityText, couponCode));
  const runtime = await getRuntime();
  let preview: CheckoutPreview;
  try {
    preview = await previewCheckout(checkoutDeps(runtime), { userId: user.id, priceId, quantity: Number(quantityText), couponCode }, new Date());
  } catch (error) {
    if (!(error instanceof CheckoutError)) throw error;
    return (
      <Card className="mx-auto max-w-lg space-y-4">
        <CardTitle>This checkout cannot go ahead</CardTitle>
        <Alert>{error.message}</Alert>
        <Link className="text-brand-600 hover:underline" href={error.href ?? '/pricing'}>
          {error.href === '/billing' ? 'Go to billing' : 'Back to pricing'}
        </Link>
      </Card>
    );
  }
  const { quote } = preview;
  const payLabel = quote.kind === 'payment' ? `Pay ${formatMoney(quote.dueToday)}` : quote.subscription?.trialEnd ? 'Start trial' : 'Subscribe';
  const appliedCode = preview.coupon && preview.coupon.error === null ? preview.coupon.code : null;
  return (
    <div className="grid gap-8 md:grid-cols-[1fr_22rem]">
      <div className="space-y-6">
        <h1 className="text-3xl font-bold">Checkout</h1>
        <Card className="space-y-4">
          <CardTitle>Billing details</CardTitle>
          <BillingDetailsForm
            countries={BILLING_COUNTRIES}
            defaults={{ name: preview.customer.billingName ?? '', country: preview.customer.country ?? '', postalCode: preview.customer.postalCode ?? '', vatId: preview.customer.taxId ?? '' }}
          />
        </Card>
        <Card className="space-y-4">
          <CardTitle>Payment</CardTitle>
          {quote.kind === 'setup' ? (
            <p className="text-sm text-slate-600">Nothing is charged today. Your card is saved for the first charge {quote.subscription?.trialEnd ? 'when the trial ends' : 'at the next renewal'}.</p>
          ) : null}
          {preview.billingReady ? (
            <PaymentOptions
              // A new quote (other billing details, so other tax) is a new payment: remount with it.
              key={`${quote.total.amount}:${quote.dueToday.amount}:${appliedCode}`}
              priceId={preview.price.id}
              quantity={preview.quantity}
              kind={quote.kind}
              currency={quote.currency}
              payLabel={payLabel}
              paypalAvailable={preview.paypalAvailable}
              couponCode={appliedCode}
              config={paymentClientConfig(runtime.config)}
            />
          ) : (
            <p className="text-sm text-slate-600">Save your billing details first: the tax depends on them.</p>
          )}
        </Card>
      </div>
      <Card className="h-fit space-y-4">
        <OrderSummary preview={preview} />
        <CouponForm preview={preview} />
      </Card>
    </div>
  );
}
