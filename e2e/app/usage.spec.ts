/**
 * Usage-based billing in the browser: a customer adds a metered add-on and sees its usage so far; an
 * admin creates an API key (shown once), the ingestion API takes it, and a revoked key is refused.
 */
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signInOk, signOut } from './helpers';
import { buyStarterByCard } from './purchase';

test('a metered add-on in billing, and API keys for the ingestion API', async ({ page, request }) => {
  await buyStarterByCard(page);
  await page.goto('/billing');
  const subscription = page.getByTestId('subscription');
  await subscription.getByRole('button', { name: 'Add API calls' }).click();
  await expect(subscription.getByText('Added. Its usage is billed at the end of each period.')).toBeVisible();
  await expect(subscription.getByTestId('usage')).toContainText('API calls: 0 calls so far');
  await expect(subscription.getByRole('button', { name: 'Add API calls' })).toHaveCount(0);
  await signOut(page);

  await signInOk(page, 'admin@example.com', DEMO_PASSWORD);
  await page.goto('/admin/api-keys');
  const form = page.getByRole('form', { name: 'Create an API key' });
  await form.getByLabel(/Name/).fill('e2e gateway');
  await form.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByTestId('new-api-key').textContent())!.trim();
  expect(key).toMatch(/^usk_/);
  await expect(page.getByRole('list', { name: 'API keys' })).toContainText('e2e gateway');

  const send = (authorization: string) =>
    request.post('/api/usage/events', { headers: { authorization, 'content-type': 'application/json' }, data: { subscription: '00000000-0000-4000-8000-000000000000', meter: 'api_calls', quantity: 1, timestamp: new Date().toISOString(), idempotency_key: `e2e-${Date.now()}` } });
  const unknown = await send(`Bearer ${key}`);
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe('subscription_not_found');

  await page.getByRole('form', { name: 'Revoke e2e gateway' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('list', { name: 'API keys' }).getByRole('listitem').filter({ hasText: 'e2e gateway' })).toContainText('revoked');
  expect((await send(`Bearer ${key}`)).status()).toBe(401);
});
