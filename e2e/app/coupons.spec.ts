/**
 * Coupons in the browser: an admin creates one, a customer redeems its code at checkout (the order
 * summary, the charge and the receipt all show the discount), the billing page says what is left of
 * it, and an admin applies another to a customer's subscription.
 */
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signInOk, signOut } from './helpers';
import { billingDetails, buyStarterByCard, choose, newCustomer, typeCard } from './purchase';

test('a coupon created by an admin, redeemed at checkout, and applied to a subscription', async ({ page }) => {
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`;
  const onceCode = `${code}-ONCE`;
  await signInOk(page, 'admin@example.com', DEMO_PASSWORD);
  await page.goto('/admin/coupons');
  const form = page.getByRole('form', { name: 'Create a coupon' });
  const create = async (couponCode: string, duration: 'repeating' | 'once') => {
    await form.getByLabel(/^Code/).fill(couponCode);
    await form.getByLabel(/^Name/).fill('Launch offer');
    await form.getByLabel('Percent off').fill('20');
    await form.getByLabel('Duration').selectOption(duration);
    if (duration === 'repeating') await form.getByLabel('Invoices discounted').fill('3');
    await form.getByRole('button', { name: 'Create coupon' }).click();
  };
  await create(code, 'repeating');
  await expect(form.getByText(`Coupon ${code} created.`)).toBeVisible();
  await expect(page.getByTestId('coupon').filter({ hasText: code })).toContainText('20% off, for 3 invoices');
  await create(onceCode, 'once');
  await expect(form.getByText(`Coupon ${onceCode} created.`)).toBeVisible();
  // The same code again is refused, with the form kept.
  await create(code.toLowerCase(), 'once');
  await expect(form.getByText(`Another coupon already has the code ${code}.`)).toBeVisible();
  await signOut(page);

  await newCustomer(page);
  await choose(page, 'starter', /Subscribe/);
  await billingDetails(page, { country: 'US', postalCode: '97201' });
  const promo = page.getByRole('form', { name: 'Promotion code' });
  await promo.getByLabel('Promotion code').fill('NOPE-123');
  await promo.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('There is no code NOPE-123.')).toBeVisible();
  await expect(page.getByTestId('summary-due-today')).toHaveText('$9.00');
  await page.getByRole('form', { name: 'Promotion code' }).getByLabel('Promotion code').fill(code.toLowerCase());
  await page.getByRole('form', { name: 'Promotion code' }).getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('coupon-applied')).toContainText(code);
  await expect(page.getByTestId('summary-discount')).toHaveText('−$1.80');
  await expect(page.getByTestId('summary-due-today')).toHaveText('$7.20');
  await expect(page.getByTestId('summary-next')).toContainText('Next charge $7.20');
  await typeCard(page, '4242424242424242');
  await page.getByRole('button', { name: 'Pay $7.20' }).click();
  await page.waitForURL(/\/checkout\/success/);
  await expect(page.getByTestId('receipt-discount')).toHaveText('−$1.80');
  await expect(page.getByTestId('receipt-paid')).toHaveText('$7.20');
  await page.goto('/billing');
  await expect(page.getByTestId('subscription-discount')).toHaveText('Launch offer: 20% off the next 2 invoices');
  await signOut(page);

  const email = await buyStarterByCard(page);
  await signOut(page);
  await signInOk(page, 'admin@example.com', DEMO_PASSWORD);
  await page.goto(`/admin/customers?q=${encodeURIComponent(email)}`);
  await page.getByRole('link', { name: email }).click();
  const apply = page.getByRole('form', { name: 'Apply a coupon' });
  await apply.getByLabel('Coupon code').fill('NOPE-123');
  await apply.getByRole('button', { name: 'Apply' }).click();
  await expect(apply.getByText('There is no code NOPE-123.')).toBeVisible();
  await apply.getByLabel('Coupon code').fill(onceCode);
  await apply.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('subscription-coupon')).toHaveText(`Coupon ${onceCode}`);
});
