/**
 * The admin's billing desk against the production build and the sandbox: a goodwill credit on a
 * customer, then a credit note to the balance and a partial refund (through the sandbox) on the
 * customer's upgrade invoice, each numbered CN-…, and the customer's invoice showing them.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, signInOk, signOut } from './helpers';
import { buyStarterByCard, PASSWORD } from './purchase';

/** Starter, then an upgrade to Pro: the upgrade is invoiced and paid at once. */
async function customerWithPaidInvoice(page: Page): Promise<string> {
  const email = await buyStarterByCard(page);
  await page.goto('/billing');
  await page.getByTestId('subscription').getByRole('link', { name: 'Change plan' }).click();
  const form = page.getByRole('form', { name: 'Choose a plan' });
  await form.getByLabel('Plan').selectOption({ label: 'Pro, monthly' });
  await form.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('button', { name: 'Change and pay now' }).click();
  await page.waitForURL(/\/billing\?changed=1/);
  return email;
}

test('an admin grants goodwill credit, credits and refunds part of an invoice', async ({ page }) => {
  const email = await customerWithPaidInvoice(page);
  await signOut(page);
  await signInOk(page, 'admin@example.com', DEMO_PASSWORD);

  await page.goto(`/admin/customers?q=${encodeURIComponent(email)}`);
  await page.getByRole('link', { name: email }).click();
  const goodwill = page.getByRole('form', { name: 'Grant a goodwill credit' });
  await goodwill.getByLabel(/Reason/).fill('Outage on Monday');
  await goodwill.getByLabel('Amount').fill('0');
  await goodwill.getByRole('button', { name: 'Grant credit' }).click();
  await expect(goodwill.getByText('Enter an amount greater than zero')).toBeVisible();
  await goodwill.getByLabel('Amount').fill('5.00');
  await goodwill.getByRole('button', { name: 'Grant credit' }).click();
  await expect(goodwill.getByRole('status')).toContainText('Credited $5.00');
  await page.reload();
  await expect(page.getByText('Outage on Monday')).toBeVisible();

  await page.getByRole('link', { name: /^INV-/ }).first().click();
  await page.waitForURL(/\/admin\/invoices\//);
  const invoiceUrl = page.url();
  await page.locator('#credit-amount').fill('1.00');
  await page.getByRole('button', { name: 'Credit to balance' }).click();
  await expect(page.getByText(/Credit note CN-\d{4}-\d{6} issued/)).toBeVisible();

  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await page.locator('#refund-amount').fill('2.00');
  await page.getByRole('button', { name: 'Refund' }).click();
  await expect(page.getByText(/Refund of \$2\.00 succeeded/)).toBeVisible();
  await page.reload();
  const notes = page.getByTestId('admin-credit-note');
  await expect(notes).toHaveCount(2);
  await expect(notes.filter({ hasText: 'Refund' })).toContainText('$2.00');
  await expect(notes.filter({ hasText: 'Credit balance' })).toContainText('$1.00');

  // An invoice already paid cannot be voided: the button is disabled.
  await expect(page.getByRole('button', { name: 'Void invoice' })).toBeDisabled();

  // The customer's own view of the invoice lists both credit notes.
  await signOut(page);
  await signInOk(page, email, PASSWORD);
  await page.goto(invoiceUrl.replace('/admin/invoices/', '/billing/invoices/'));
  await expect(page.getByText(/CN-\d{4}-\d{6}/)).toHaveCount(2);
  await expect(page.getByText('Amount credited')).toBeVisible();
});
