/**
 * @stripe/react-stripe-js and @stripe/stripe-js, unchanged, on a React page of its own loopback origin (as the
 * app's would be) against the sandbox's Stripe.js stand-in: <Elements> + <PaymentElement>, elements.submit(),
 * stripe.confirmPayment with a 3-D Secure challenge. The page is bundled on the fly with
 * esbuild. No app needed.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Stripe from 'stripe';
import { createStripeSandbox } from '../../sandbox/stripe/index';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { bundleReactPage } from './react-page';

const SECRET_KEY = 'sk_test_react_0000000000000000000000000000';
const PUBLISHABLE_KEY = 'pk_test_react_0000000000000000000000000000';

const PAGE_SOURCE = `
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { loadStripe } from '@stripe/stripe-js';
import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';

const cfg = (window as any).__CFG;
const clientSecret = new URLSearchParams(location.search).get('client_secret')!;
const stripePromise = loadStripe(cfg.publishableKey);

function PayForm() {
  const stripe = useStripe();
  const elements = useElements();
  const [complete, setComplete] = useState(false);
  const [status, setStatus] = useState('idle');
  const [message, setMessage] = useState('');
  async function pay(event: React.FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setStatus('paying');
    const submitted = await elements.submit();
    if (submitted.error) { setMessage(submitted.error.message ?? ''); setStatus('idle'); return; }
    const result = await stripe.confirmPayment({ elements, redirect: 'if_required', confirmParams: { return_url: location.href } });
    if (result.error) { setMessage(result.error.message ?? ''); setStatus('failed ' + result.error.code); }
    else setStatus(result.paymentIntent.status);
  }
  return (
    <form onSubmit={pay}>
      <PaymentElement id="payment-element" onChange={(e) => setComplete(e.complete)} />
      <button type="submit" disabled={!stripe || !complete}>Pay</button>
      <p id="status">{status}</p>
      <p id="message">{message}</p>
    </form>
  );
}

createRoot(document.getElementById('root')!).render(
  <Elements stripe={stripePromise} options={{ clientSecret }}>
    <PayForm />
  </Elements>,
);
`;

let sandbox: RunningSandbox;
let stripe: Stripe;
let app: http.Server | undefined;
let appOrigin = '';
let bundle: string | null = null;

test.beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    appUrl: '',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-react-e2e-')),
    stripe: { secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY },
    providers: [createStripeSandbox],
    env: { NODE_ENV: 'test' } as NodeJS.ProcessEnv,
  });
  stripe = new Stripe(SECRET_KEY, { host: '127.0.0.1', port: sandbox.port, protocol: 'http' });
  bundle = await bundleReactPage(PAGE_SOURCE);
  const config = { publishableKey: PUBLISHABLE_KEY };
  app = http.createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' }).end(bundle ?? '');
      return;
    }
    // As the app must: the sandbox's Stripe.js first, then the bundle that imports @stripe/stripe-js.
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      `<!doctype html><html><head><script src="${sandbox.origin}/v3/"></script></head><body><div id="root"></div>` +
        `<script>window.__CFG=${JSON.stringify(config)}</script><script src="/app.js"></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
});


async function payWith(page: Page, card: string): Promise<Stripe.PaymentIntent> {
  const pi = await stripe.paymentIntents.create({ amount: 3100, currency: 'usd', automatic_payment_methods: { enabled: true } });
  await page.goto(`${appOrigin}/checkout?client_secret=${encodeURIComponent(pi.client_secret!)}`);
  const frame = page.frameLocator('#payment-element iframe');
  await frame.getByLabel('Card number').pressSequentially(card);
  await frame.getByLabel('Expiration date').pressSequentially('12 / 34');
  await frame.getByLabel('Security code').pressSequentially('123');
  await page.getByRole('button', { name: 'Pay' }).click();
  return pi;
}

test('<PaymentElement>: 4242 pays', async ({ page }) => {
  const pi = await payWith(page, '4242424242424242');
  await expect(page.locator('#status')).toHaveText('succeeded');
  expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
});

test('<PaymentElement>: 3-D Secure challenge completed', async ({ page }) => {
  const pi = await payWith(page, '4000002760003184');
  await page.frameLocator('iframe[name="stripe-sandbox-challenge"]').getByRole('button', { name: 'Complete' }).click();
  await expect(page.locator('#status')).toHaveText('succeeded');
  expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
});

test('<PaymentElement>: a declined card shows the decline', async ({ page }) => {
  await payWith(page, '4000000000009995');
  await expect(page.locator('#status')).toHaveText('failed card_declined');
  await expect(page.locator('#message')).toHaveText('Your card has insufficient funds.');
});
