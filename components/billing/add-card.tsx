'use client';

import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { Stripe } from '@stripe/stripe-js';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { completeCardUpdateAction, startCardUpdateAction } from '@/app/billing/actions';
import { stripeOnce } from '@/components/checkout/load-stripe';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { PaymentClientConfig } from '@/lib/checkout/client-config';

function CardSetupForm({ onDone, onCancel }: { onDone: (message: string) => void; onCancel: () => void }) {
  const stripe = useStripe();
  const elements = useElements();
  const [complete, setComplete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setBusy(true);
    setError(null);
    const fail = (message: string) => {
      setError(message);
      setBusy(false);
    };
    const submitted = await elements.submit();
    if (submitted.error) return fail(submitted.error.message ?? 'Check the card details.');
    // A bank that asks for 3-D Secure shows its challenge here; a redirect comes back to the return page.
    const result = await stripe.confirmSetup({ elements, confirmParams: { return_url: `${window.location.origin}/billing/cards/return` }, redirect: 'if_required' });
    if (result.error) return fail(result.error.message ?? 'The card was not accepted.');
    const outcome = await completeCardUpdateAction(result.setupIntent.id);
    if ('error' in outcome) return fail(outcome.error);
    onDone('done' in outcome ? outcome.done : 'Your card is saved.');
  }

  return (
    <form onSubmit={save} className="space-y-3" aria-label="Add a card">
      <PaymentElement id="payment-element" onChange={(e) => setComplete(e.complete)} />
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={!stripe || !complete || busy}>
          {busy ? 'Saving…' : 'Save card'}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** "Add a card" in the billing portal: the card form opens on demand and the saved card becomes the default. */
export function AddCard({ config }: { config: PaymentClientConfig }) {
  const router = useRouter();
  const [form, setForm] = useState<{ stripe: Promise<Stripe | null>; clientSecret: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  async function open() {
    setBusy(true);
    setMessage(null);
    const started = await startCardUpdateAction();
    setBusy(false);
    if ('clientSecret' in started) setForm({ stripe: stripeOnce(config.stripePublishableKey, config.stripeJsUrl), clientSecret: started.clientSecret });
    else if ('error' in started) setMessage({ tone: 'error', text: started.error });
  }

  return (
    <div className="space-y-3">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {form ? (
        <Elements stripe={form.stripe} options={{ clientSecret: form.clientSecret }}>
          <CardSetupForm
            onCancel={() => setForm(null)}
            onDone={(text) => {
              setForm(null);
              setMessage({ tone: 'success', text });
              router.refresh();
            }}
          />
        </Elements>
      ) : (
        <Button type="button" variant="secondary" onClick={open} disabled={busy}>
          {busy ? 'Opening…' : 'Add a card'}
        </Button>
      )}
    </div>
  );
}
