'use client';

import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { Stripe } from '@stripe/stripe-js';
import { FUNDING, PayPalButtons, PayPalScriptProvider } from '@paypal/react-paypal-js';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { PaymentClientConfig } from '@/lib/checkout/client-config';
import { cn } from '@/lib/cn';
import { CheckoutApiError, completeCheckout, messageOf, startCheckout, type StartedCheckout } from './checkout-api';
import { stripeOnce } from './load-stripe';

export interface PaymentOptionsProps {
  priceId: string;
  quantity: number;
  kind: 'payment' | 'setup';
  currency: string;
  /** Shown on the pay button: "Pay $29.00" or "Start trial". */
  payLabel: string;
  paypalAvailable: boolean;
  /** The promotion code the order summary applied, sent with the start; null for none. */
  couponCode: string | null;
  config: PaymentClientConfig;
}

type Method = 'card' | 'paypal' | 'hosted';

/** After the provider confirmed in the browser: the server re-reads it and fulfils, then the success page. */
function useFinish() {
  const router = useRouter();
  return async (checkoutId: string) => {
    const fulfilled = await completeCheckout(checkoutId);
    router.push(fulfilled ? `/checkout/success?checkout=${checkoutId}` : `/checkout/return?checkout=${checkoutId}`);
  };
}

function CardForm({ started, kind, payLabel }: { started: StartedCheckout; kind: 'payment' | 'setup'; payLabel: string }) {
  const stripe = useStripe();
  const elements = useElements();
  const finish = useFinish();
  const [complete, setComplete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function pay(event: FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setBusy(true);
    setError(null);
    try {
      const submitted = await elements.submit();
      if (submitted.error) throw new Error(submitted.error.message);
      const confirmParams = { return_url: `${window.location.origin}/checkout/return?checkout=${started.checkoutId}` };
      const result = kind === 'payment' ? await stripe.confirmPayment({ elements, confirmParams, redirect: 'if_required' }) : await stripe.confirmSetup({ elements, confirmParams, redirect: 'if_required' });
      // A decline or a failed 3-D Secure challenge: the provider's message, and the form stays for another card.
      if (result.error) throw new Error(result.error.message ?? 'The card was not accepted.');
      await finish(started.checkoutId);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={pay} className="space-y-4" aria-label="Card payment">
      <PaymentElement id="payment-element" onChange={(e) => setComplete(e.complete)} />
      {error ? <Alert>{error}</Alert> : null}
      <Button type="submit" className="w-full" disabled={!stripe || !complete || busy}>
        {busy ? 'Processing…' : payLabel}
      </Button>
    </form>
  );
}

function CardPayment(props: PaymentOptionsProps) {
  // Created in the browser only (the server render has no window); the first render shows "Loading" either way.
  const [stripe] = useState<Promise<Stripe | null> | null>(() => (typeof window === 'undefined' ? null : stripeOnce(props.config.stripePublishableKey, props.config.stripeJsUrl)));
  const [started, setStarted] = useState<StartedCheckout | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    startCheckout({ priceId: props.priceId, quantity: props.quantity, couponCode: props.couponCode, provider: 'stripe' })
      .then((s) => live && setStarted(s))
      .catch((e) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [props.priceId, props.quantity, props.couponCode]);
  if (error) return <Alert>{error}</Alert>;
  if (!started?.clientSecret || !stripe) return <p className="text-sm text-slate-600">Loading the card form…</p>;
  return (
    <Elements stripe={stripe} options={{ clientSecret: started.clientSecret }}>
      <CardForm started={started} kind={props.kind} payLabel={props.payLabel} />
    </Elements>
  );
}

function PaypalPayment(props: PaymentOptionsProps) {
  const finish = useFinish();
  // A ref, not state: the PayPal SDK keeps the callbacks it was first given.
  const checkoutId = useRef<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const options = {
    clientId: props.config.paypalClientId,
    currency: props.currency,
    intent: 'capture',
    components: 'buttons',
    ...(props.config.paypalSdkBaseUrl ? { sdkBaseUrl: props.config.paypalSdkBaseUrl } : {}),
  };
  return (
    <div className="space-y-4">
      <PayPalScriptProvider options={options}>
        <PayPalButtons
          fundingSource={FUNDING.PAYPAL}
          style={{ shape: 'rect', label: 'pay' }}
          createOrder={async () => {
            setMessage(null);
            const started = await startCheckout({ priceId: props.priceId, quantity: props.quantity, couponCode: props.couponCode, provider: 'paypal' });
            checkoutId.current = started.checkoutId;
            return started.paypalOrderId!;
          }}
          onApprove={async () => {
            if (!checkoutId.current) return;
            try {
              await finish(checkoutId.current);
            } catch (e) {
              setMessage({ kind: 'error', text: messageOf(e) });
            }
          }}
          onCancel={() => setMessage({ kind: 'info', text: 'You cancelled in PayPal. Nothing was charged; choose a way to pay when you are ready.' })}
          onError={(e) => setMessage({ kind: 'error', text: e instanceof CheckoutApiError ? e.message : 'PayPal could not start the payment. Try again, or pay by card.' })}
        />
      </PayPalScriptProvider>
      {message ? (
        <Alert tone={message.kind}>
          {message.text}
        </Alert>
      ) : null}
    </div>
  );
}

function HostedPayment(props: PaymentOptionsProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function go() {
    setBusy(true);
    setError(null);
    try {
      const started = await startCheckout({ priceId: props.priceId, quantity: props.quantity, couponCode: props.couponCode, provider: 'stripe', surface: 'hosted' });
      window.location.assign(started.hostedUrl!);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">Enter your card on Stripe&apos;s secure payment page; you come back here when it is done.</p>
      {error ? <Alert>{error}</Alert> : null}
      <Button type="button" className="w-full" onClick={go} disabled={busy}>
        {busy ? 'Opening…' : 'Pay on a hosted page'}
      </Button>
    </div>
  );
}

export function PaymentOptions(props: PaymentOptionsProps) {
  const [method, setMethod] = useState<Method>('card');
  const methods: Array<[Method, string]> = [['card', 'Card'], ...(props.paypalAvailable ? [['paypal', 'PayPal'] as [Method, string]] : []), ['hosted', 'Hosted page']];
  return (
    <div className="space-y-4">
      <div role="radiogroup" aria-label="Payment method" className="inline-flex rounded-lg bg-slate-100 p-1">
        {methods.map(([value, label]) => (
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={method === value}
            onClick={() => setMethod(value)}
            className={cn('rounded-md px-3 py-1.5 text-sm font-medium', method === value ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900')}
          >
            {label}
          </button>
        ))}
      </div>
      {method === 'card' ? <CardPayment {...props} /> : method === 'paypal' ? <PaypalPayment {...props} /> : <HostedPayment {...props} />}
    </div>
  );
}
