/**
 * The Stripe sandbox in a real browser: @stripe/stripe-js (unchanged, from node_modules) on a page of another
 * origin loads the sandbox's Stripe.js stand-in; a test card is typed into the sandbox's iframe; 3-D Secure
 * challenges are completed and failed; the hosted Checkout page takes a payment. No app needed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';

/** The harness page's API (untyped JavaScript served by the sandbox). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's functions take and return plain JSON of many shapes
type HarnessWindow = { harness: Record<string, (...args: any[]) => any> };

const SECRET_KEY = 'sk_test_e2e_000000000000000000000000000000';
const PUBLISHABLE_KEY = 'pk_test_e2e_000000000000000000000000000000';

let sandbox: RunningSandbox;
let stripe: Stripe;

test.beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    appUrl: '',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-e2e-')),
    stripe: { secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY },
    env: { NODE_ENV: 'test' } as NodeJS.ProcessEnv,
  });
  stripe = new Stripe(SECRET_KEY, { host: '127.0.0.1', port: sandbox.port, protocol: 'http' });
});

test.afterAll(async () => {
  await sandbox?.close();
});

/** The harness is served as http://localhost:port, a different origin from the sandbox's 127.0.0.1:port. */
async function openHarness(page: Page) {
  await page.goto(`http://localhost:${sandbox.port}/_sandbox/harness/stripe`);
  await page.waitForSelector('body[data-ready="true"]');
  const info = await page.evaluate((pk) => (window as unknown as HarnessWindow).harness.init(pk), PUBLISHABLE_KEY);
  expect(info).toEqual({ version: 'endive', sandbox: true });
}

const cardFrame = (page: Page) => page.frameLocator('#element iframe');

async function typeCard(page: Page, number: string, expiry = '12 / 34', cvc = '123') {
  const frame = cardFrame(page);
  await frame.getByLabel('Card number').pressSequentially(number);
  await frame.getByLabel('Expiration date').pressSequentially(expiry);
  await frame.getByLabel(/Security code|CVC/).pressSequentially(cvc);
}

const challenge = (page: Page) => page.frameLocator('iframe[name="stripe-sandbox-challenge"]');

test('Payment Element: a 3-D Secure card, challenge completed', async ({ page }) => {
  const pi = await stripe.paymentIntents.create({ amount: 2500, currency: 'usd' });
  await openHarness(page);
  await page.evaluate((clientSecret) => (window as unknown as HarnessWindow).harness.mount('payment', { clientSecret }), pi.client_secret);
  await typeCard(page, '4000002760003184');
  await expect.poll(() => page.evaluate(() => (window as unknown as HarnessWindow).harness.lastChange()?.complete)).toBe(true);
  const result = page.evaluate(() => (window as unknown as HarnessWindow).harness.confirmPayment());
  await challenge(page).getByRole('button', { name: 'Complete' }).click();
  const outcome = await result;
  expect(outcome.error).toBeUndefined();
  expect(outcome.paymentIntent.status).toBe('succeeded');
  const charged = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'payment_method'] });
  expect(charged.status).toBe('succeeded');
  expect((charged.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result).toBe('authenticated');
  expect((charged.payment_method as Stripe.PaymentMethod).card?.last4).toBe('3184');
  // The app's page never held the card number: it lives only in the sandbox's iframe.
  expect(await page.content()).not.toContain('3184');
  await expect(page.locator('[data-stripe-sandbox="challenge"]')).toHaveCount(0);
});

test('Payment Element: failing the challenge fails the payment', async ({ page }) => {
  const pi = await stripe.paymentIntents.create({ amount: 1800, currency: 'usd' });
  await openHarness(page);
  await page.evaluate((clientSecret) => (window as unknown as HarnessWindow).harness.mount('payment', { clientSecret }), pi.client_secret);
  await typeCard(page, '4000002500003155');
  const result = page.evaluate(() => (window as unknown as HarnessWindow).harness.confirmPayment());
  await challenge(page).getByRole('button', { name: 'Fail' }).click();
  const outcome = await result;
  expect(outcome.error.code).toBe('payment_intent_authentication_failure');
  expect(outcome.error.payment_intent.status).toBe('requires_payment_method');
  expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_payment_method');
});

test('Card Element: validation errors a user sees, then a decline and a success', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => (window as unknown as HarnessWindow).harness.mount('card'));
  const frame = cardFrame(page);
  await frame.getByLabel('Card number').pressSequentially('4242424242424241');
  await expect.poll(() => page.evaluate(() => (window as unknown as HarnessWindow).harness.lastChange()?.error?.code)).toBe('invalid_number');
  await expect(page.locator('#errors')).toHaveText('Your card number is invalid.');
  await frame.getByLabel('Card number').fill('');
  await frame.getByLabel('Card number').pressSequentially('4000000000000002');
  await frame.getByLabel('Expiration date').pressSequentially('01 / 20');
  await expect.poll(() => page.evaluate(() => (window as unknown as HarnessWindow).harness.lastChange()?.error?.code)).toBe('invalid_expiry_year_past');
  await frame.getByLabel('Expiration date').fill('');
  await frame.getByLabel('Expiration date').pressSequentially('12 / 34');
  const incomplete = await page.evaluate(() => (window as unknown as HarnessWindow).harness.createPaymentMethod());
  expect(incomplete.error.code).toBe('incomplete_cvc');
  await frame.getByLabel('CVC').pressSequentially('123');
  const declinedPi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
  const declined = await page.evaluate((cs) => (window as unknown as HarnessWindow).harness.confirmCardPayment(cs), declinedPi.client_secret);
  expect(declined.error.type).toBe('card_error');
  expect(declined.error.code).toBe('card_declined');
  expect(declined.error.decline_code).toBe('generic_decline');

  await frame.getByLabel('Card number').fill('');
  await frame.getByLabel('Card number').pressSequentially('4242424242424242');
  const okPi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
  const ok = await page.evaluate((cs) => (window as unknown as HarnessWindow).harness.confirmCardPayment(cs), okPi.client_secret);
  expect(ok.paymentIntent.status).toBe('succeeded');
  const retrieved = await page.evaluate((cs) => (window as unknown as HarnessWindow).harness.retrievePaymentIntent(cs), okPi.client_secret);
  expect(retrieved.paymentIntent.id).toBe(okPi.id);
});

test('deferred intent: elements.submit(), then the server creates the intent, then confirmPayment', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => (window as unknown as HarnessWindow).harness.mount('payment', { mode: 'payment', amount: 4200, currency: 'usd' }));
  const pi0 = await stripe.paymentIntents.create({ amount: 4200, currency: 'usd' });
  const unsubmitted = await page.evaluate((clientSecret) => (window as unknown as HarnessWindow).harness.confirmPayment({ clientSecret }).catch((e: Error) => e.message), pi0.client_secret);
  expect(unsubmitted).toContain('elements.submit() must be called before stripe.confirmPayment()');
  const empty = await page.evaluate(() => (window as unknown as HarnessWindow).harness.submit());
  expect(empty.error.code).toBe('incomplete_number');
  await typeCard(page, '4242424242424242');
  expect(await page.evaluate(() => (window as unknown as HarnessWindow).harness.submit())).toEqual({});
  const pi = await stripe.paymentIntents.create({ amount: 4200, currency: 'usd', automatic_payment_methods: { enabled: true } });
  const outcome = await page.evaluate((clientSecret) => (window as unknown as HarnessWindow).harness.confirmPayment({ clientSecret }), pi.client_secret);
  expect(outcome.paymentIntent.status).toBe('succeeded');
});

test('confirmSetup saves a 3155 card after the challenge; it then pays off-session', async ({ page }) => {
  const customer = await stripe.customers.create({});
  const si = await stripe.setupIntents.create({ customer: customer.id, usage: 'off_session' });
  await openHarness(page);
  await page.evaluate((clientSecret) => (window as unknown as HarnessWindow).harness.mount('payment', { clientSecret }), si.client_secret);
  await typeCard(page, '4000002500003155');
  const result = page.evaluate(() => (window as unknown as HarnessWindow).harness.confirmSetup());
  await challenge(page).getByRole('button', { name: 'Complete' }).click();
  const outcome = await result;
  expect(outcome.setupIntent.status).toBe('succeeded');
  const off = await stripe.paymentIntents.create({
    amount: 990, currency: 'usd', customer: customer.id, payment_method: outcome.setupIntent.payment_method, off_session: true, confirm: true,
  });
  expect(off.status).toBe('succeeded');
});

test('hosted Checkout page: pays with a 3-D Secure card and returns to success_url', async ({ page }) => {
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    success_url: `${sandbox.origin}/_sandbox/health?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${sandbox.origin}/_sandbox/health?canceled=1`,
    line_items: [{ price_data: { currency: 'usd', unit_amount: 1250, product_data: { name: 'Pro plan' } }, quantity: 2 }],
  });
  await page.goto(session.url!);
  await expect(page.getByRole('heading', { name: 'Pay $25.00' })).toBeVisible();
  await page.getByLabel('Email').fill('buyer@example.com');
  const frame = page.frameLocator('#payment-element iframe');
  await frame.getByLabel('Card number').pressSequentially('4000000000000002');
  await frame.getByLabel('Expiration date').pressSequentially('12 / 34');
  await frame.getByLabel('Security code').pressSequentially('123');
  await page.getByRole('button', { name: 'Pay $25.00' }).click();
  await expect(page.locator('#error')).toHaveText('Your card was declined.');
  await frame.getByLabel('Card number').fill('');
  await frame.getByLabel('Card number').pressSequentially('4000002760003184');
  await page.getByRole('button', { name: 'Pay $25.00' }).click();
  await challenge(page).getByRole('button', { name: 'Complete' }).click();
  await page.waitForURL(/session_id=cs_test_/);
  const done = await stripe.checkout.sessions.retrieve(session.id);
  expect(done.status).toBe('complete');
  expect(done.payment_status).toBe('paid');
  expect(done.customer_details?.email).toBe('buyer@example.com');
});

test('redirect flow: a server-side confirm with return_url, the challenge page, back to return_url', async ({ page }) => {
  const returnUrl = `${sandbox.origin}/_sandbox/health?back=1`;
  const pi = await stripe.paymentIntents.create({
    amount: 1500, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true, return_url: returnUrl,
  });
  expect(pi.next_action?.type).toBe('redirect_to_url');
  await page.goto(pi.next_action!.redirect_to_url!.url!);
  await page.getByRole('button', { name: 'Complete' }).click();
  await page.waitForURL(/redirect_status=succeeded/);
  expect(new URL(page.url()).searchParams.get('payment_intent')).toBe(pi.id);
  expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
});

test('an Element the sandbox does not implement mounts as a placeholder that reports ready', async ({ page }) => {
  await openHarness(page);
  expect(await page.evaluate(() => (window as unknown as HarnessWindow).harness.mount('address', {}))).toBe(true);
  await expect(page.locator('[data-stripe-sandbox-unsupported="address"]')).toHaveCount(1);
});
