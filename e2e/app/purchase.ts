/** Buying in the browser, shared by the specs: a fresh customer, the pricing page, billing details, the card form. */
import { expect, type Page } from '@playwright/test';
import { signUp, uniqueEmail } from './helpers';

export const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? '12190'}`;
export const PASSWORD = 'a sturdy passphrase';

/** A new customer, signed in (a fresh account each time, so no test already owns the plan). */
export async function newCustomer(page: Page, name = 'Card Holder'): Promise<string> {
  const email = uniqueEmail('buyer');
  await signUp(page, name, email, PASSWORD);
  await page.waitForURL(/\/billing$/);
  return email;
}

/** From the pricing page to a plan's checkout (`cta` is the card's button text). */
export async function choose(page: Page, plan: string, cta: RegExp, options: { interval?: 'month' | 'year'; currency?: 'USD' | 'EUR' } = {}) {
  await page.goto(`/pricing?interval=${options.interval ?? 'month'}&currency=${options.currency ?? 'USD'}`);
  await page.getByTestId(`plan-${plan}`).getByRole('link', { name: cta }).click();
  await page.waitForURL(/\/checkout\?price=/);
}

export async function billingDetails(page: Page, details: { country: string; postalCode: string; vatId?: string }) {
  const form = page.getByRole('form', { name: 'Billing details' });
  await form.getByLabel('Country').selectOption(details.country);
  await form.getByLabel('Postal code').fill(details.postalCode);
  if (details.vatId !== undefined) await form.getByLabel(/VAT id/).fill(details.vatId);
  await form.getByRole('button', { name: 'Save billing details' }).click();
  await expect(form.getByText('Billing details saved')).toBeVisible();
}

function cardFrame(page: Page) {
  return page.frameLocator('#payment-element iframe');
}

export async function typeCard(page: Page, number: string) {
  const frame = cardFrame(page);
  await frame.getByLabel('Card number').fill('');
  await frame.getByLabel('Card number').pressSequentially(number);
  await frame.getByLabel('Expiration date').fill('');
  await frame.getByLabel('Expiration date').pressSequentially('12 / 34');
  await frame.getByLabel('Security code').fill('');
  await frame.getByLabel('Security code').pressSequentially('123');
}

/** A new customer with Starter, monthly, paid with 4242 from Oregon (no sales tax), on the success page; returns their email. */
export async function buyStarterByCard(page: Page): Promise<string> {
  const email = await newCustomer(page);
  await choose(page, 'starter', /Subscribe/);
  await billingDetails(page, { country: 'US', postalCode: '97201' });
  await typeCard(page, '4242424242424242');
  await page.getByRole('button', { name: 'Pay $9.00' }).click();
  await page.waitForURL(/\/checkout\/success/);
  return email;
}
