/**
 * Payment methods in the billing portal: the saved card is listed, a card added there (through the
 * bank's 3-D Secure challenge) becomes the default, and a card the bank refuses is not saved.
 */
import { expect, test, type Page } from '@playwright/test';
import { buyStarterByCard, typeCard } from './purchase';

const methods = (page: Page) => page.getByRole('list', { name: 'Payment methods' }).getByRole('listitem');
const cardForm = (page: Page) => page.getByRole('form', { name: 'Add a card' });

test('a card added in billing, through 3-D Secure, becomes the default; a refused one is not saved', async ({ page }) => {
  await buyStarterByCard(page);
  await page.goto('/billing');
  await expect(methods(page)).toHaveCount(1);
  await expect(methods(page).first()).toContainText('Visa ending in 4242');
  await expect(methods(page).first()).toContainText('Default');

  // The bank refuses this one: its message, and nothing saved.
  await page.getByRole('button', { name: 'Add a card' }).click();
  await typeCard(page, '4000000000000002');
  await cardForm(page).getByRole('button', { name: 'Save card' }).click();
  await expect(cardForm(page).getByRole('alert')).toHaveText('Your card was declined.');

  // This one asks for 3-D Secure when it is set up.
  await typeCard(page, '4000002500003155');
  await cardForm(page).getByRole('button', { name: 'Save card' }).click();
  await page.frameLocator('iframe[name="stripe-sandbox-challenge"]').getByRole('button', { name: 'Complete' }).click();
  await expect(page.getByText('Your card is saved as your default payment method.')).toBeVisible();
  await expect(methods(page)).toHaveCount(2);
  await expect(methods(page).first()).toContainText('Visa ending in 3155');
  await expect(methods(page).first()).toContainText('Default');
  await expect(methods(page).nth(1)).not.toContainText('Default');
  await expect(page.getByTestId('payment-problem')).toHaveCount(0);
});
