/**
 * The PayPal JS SDK stand-in in a real browser: the harness page (/paypal/_harness) loads
 * @paypal/paypal-js's loadScript with sdkBaseUrl pointing at the sandbox, renders paypal.Buttons, and the
 * buyer approves, cancels or approves-with-decline in the approval popup. Starts its own sandbox (no app).
 * Run: npx playwright test -c sandbox/playwright.config.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { createPaypalSandbox } from '../../sandbox/paypal/index';

let sandbox: RunningSandbox;

test.beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'paypal-e2e-')),
    appUrl: 'http://127.0.0.1:9', // no app: deliveries fail and stay queued, which these tests ignore
    providers: [createPaypalSandbox],
    env: { NODE_ENV: 'test' } as NodeJS.ProcessEnv,
  });
});

test.afterAll(async () => {
  await sandbox?.close();
});

async function openHarness(page: Page, query = '') {
  await page.goto(`${sandbox.origin}/paypal/_harness${query}`);
  await expect(page.locator('#status')).toHaveText('ready');
  return page.locator('#paypal-button-container button[data-funding-source="paypal"]');
}

async function order(orderId: string) {
  const token = await fetch(`${sandbox.origin}/paypal/v1/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}` },
    body: 'grant_type=client_credentials',
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  return fetch(`${sandbox.origin}/paypal/v2/checkout/orders/${orderId}`, { headers: { authorization: `Bearer ${token.access_token}` } }).then(
    (r) => r.json() as Promise<{ status: string; purchase_units: Array<{ payments?: { captures: Array<{ status: string }> } }> }>,
  );
}

function orderIdFromLog(log: string): string {
  const match = /order "([A-Z0-9]+)"/.exec(log);
  if (!match) throw new Error(`no order id in log: ${log}`);
  return match[1];
}

test('the buyer approves a PayPal order in the approval window and the merchant captures it', async ({ page }) => {
  const button = await openHarness(page, '?value=42.00&currency=USD');
  expect(await page.evaluate(() => (window as unknown as { paypal: { version: string } }).paypal.version)).toMatch(/^5\./);
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await expect(popup.locator('#amount')).toHaveText('42.00 USD');
  await popup.locator('#approve').click();
  await expect(page.locator('#status')).toHaveText('captured COMPLETED');
  const o = await order(orderIdFromLog(await page.locator('#log').innerText()));
  expect(o.status).toBe('COMPLETED');
  expect(o.purchase_units[0].payments?.captures[0].status).toBe('COMPLETED');
});

test('the buyer cancels: onCancel runs and the order stays CREATED', async ({ page }) => {
  const button = await openHarness(page);
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await popup.locator('#cancel').click();
  await expect(page.locator('#status')).toHaveText('cancelled');
  expect((await order(orderIdFromLog(await page.locator('#log').innerText()))).status).toBe('CREATED');
});

test('closing the approval window counts as a cancel', async ({ page }) => {
  const button = await openHarness(page);
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await expect(popup.locator('#approve')).toBeVisible();
  await popup.close();
  await expect(page.locator('#status')).toHaveText('cancelled');
});

test('"Approve (capture will be declined)" gives a DECLINED capture', async ({ page }) => {
  const button = await openHarness(page);
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await popup.locator('#approve-decline').click();
  await expect(page.locator('#status')).toHaveText('captured DECLINED');
});

test('saving a PayPal account without a purchase (createVaultSetupToken)', async ({ page }) => {
  const button = await openHarness(page, '?flow=vault');
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await expect(popup.locator('h1')).toHaveText('Save PayPal for future payments');
  await popup.locator('#approve').click();
  await expect(page.locator('#status')).toHaveText(/^vaulted [0-9a-z]+$/);
});

test('falls back to an in-page approval window when popups are blocked', async ({ page }) => {
  const button = await openHarness(page);
  await page.evaluate(() => {
    window.open = () => null;
  });
  await button.click();
  const frame = page.frameLocator('[data-paypal-sandbox-overlay] iframe');
  await frame.locator('#approve').click();
  await expect(page.locator('#status')).toHaveText('captured COMPLETED');
  await expect(page.locator('[data-paypal-sandbox-overlay]')).toHaveCount(0);
});

test('the SDK script refuses a missing or unknown client-id, as PayPal does', async () => {
  expect((await fetch(`${sandbox.origin}/paypal/sdk/js`)).status).toBe(400);
  expect((await fetch(`${sandbox.origin}/paypal/sdk/js?client-id=someone-else`)).status).toBe(400);
  expect((await fetch(`${sandbox.origin}/paypal/sdk/js?client-id=sandbox-client-id&currency=EUR`)).status).toBe(200);
});

test('redirect integration: the payer-action link returns to return_url with token and PayerID', async ({ page }) => {
  const { access_token } = await fetch(`${sandbox.origin}/paypal/v1/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}` },
    body: 'grant_type=client_credentials',
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const returnUrl = `${sandbox.origin}/paypal/_harness?returned=1`;
  const created = await fetch(`${sandbox.origin}/paypal/v2/checkout/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      intent: 'CAPTURE',
      purchase_units: [{ amount: { currency_code: 'USD', value: '3.00' } }],
      payment_source: { paypal: { experience_context: { return_url: returnUrl, cancel_url: `${sandbox.origin}/paypal/_harness?cancelled=1` } } },
    }),
  }).then((r) => r.json() as Promise<{ id: string; links: Array<{ rel: string; href: string }> }>);
  await page.goto(created.links.find((l) => l.rel === 'payer-action')!.href);
  await page.locator('#approve').click();
  await page.waitForURL(/returned=1/);
  const url = new URL(page.url());
  expect(url.searchParams.get('token')).toBe(created.id);
  expect(url.searchParams.get('PayerID')).toMatch(/^[2-9A-HJ-NP-Z]{13}$/);
  expect((await order(created.id)).status).toBe('APPROVED');
});
