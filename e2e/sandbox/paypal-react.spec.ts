/**
 * @paypal/react-paypal-js against the PayPal JS SDK stand-in, from another origin like the app's: a page on
 * its own loopback port (Chromium blocks a public origin from loading loopback scripts) renders <PayPalScriptProvider options={{ sdkBaseUrl }}>
 * and <PayPalButtons>, bundled on the fly with esbuild. Starts its own sandbox (no app).
 * Run: npx playwright test -c sandbox/playwright.config.ts
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createPaypalSandbox } from '../../sandbox/paypal/index';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { bundleReactPage } from './react-page';

let app: http.Server;
let APP = '';
let sandbox: RunningSandbox;
let bundle: string | null = null;

const SOURCE = `
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { FUNDING, PayPalButtons, PayPalScriptProvider } from '@paypal/react-paypal-js';

const cfg = (window as any).__CFG;
const post = (url: string, body?: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then((r) => r.json());

function App() {
  const [status, setStatus] = useState('idle');
  return (
    <PayPalScriptProvider options={{ clientId: cfg.clientId, currency: 'EUR', intent: 'capture', components: 'buttons', sdkBaseUrl: cfg.sdkBaseUrl }}>
      <PayPalButtons
        fundingSource={FUNDING.PAYPAL}
        style={{ color: 'blue', shape: 'pill', label: 'pay' }}
        createOrder={async () => (await post(cfg.api + '/_harness/orders', { currency: 'EUR', value: '19.99' })).id}
        onApprove={async (data) => {
          setStatus('approved');
          const captured = await post(cfg.api + '/_harness/orders/' + data.orderID + '/capture');
          setStatus('captured ' + captured.purchase_units[0].payments.captures[0].status + ' ' + captured.purchase_units[0].payments.captures[0].amount.value);
        }}
        onCancel={() => setStatus('cancelled')}
        onError={(err) => setStatus('error ' + String(err))}
      />
      <p id="status">{status}</p>
    </PayPalScriptProvider>
  );
}
createRoot(document.getElementById('root')!).render(<App />);
`;

test.beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'paypal-react-e2e-')),
    appUrl: 'http://127.0.0.1:9',
    providers: [createPaypalSandbox],
    env: { NODE_ENV: 'test' } as NodeJS.ProcessEnv,
  });
  bundle = await bundleReactPage(SOURCE);
});

test.afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
});

test.beforeAll(async () => {
  const cfg = { clientId: 'sandbox-client-id', sdkBaseUrl: `${sandbox.origin}/paypal/sdk/js`, api: `${sandbox.origin}/paypal` };
  app = http.createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' });
      res.end(bundle ?? '');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><html><body><div id="root"></div><script>window.__CFG=${JSON.stringify(cfg)}</script><script src="/app.js"></script></body></html>`);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  APP = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});


test('PayPalButtons from @paypal/react-paypal-js: approve and capture', async ({ page }) => {
  await page.goto(`${APP}/checkout`);
  const script = page.locator('script[data-sdk-integration-source="react-paypal-js"]');
  await expect(script).toHaveCount(1);
  const src = await script.getAttribute('src');
  expect(src).toContain(`${sandbox.origin}/paypal/sdk/js?`);
  expect(src).toContain('client-id=sandbox-client-id');
  expect(src).toContain('currency=EUR');
  const button = page.locator('button[data-funding-source="paypal"]');
  await expect(button).toHaveText('Pay with PayPal');
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await expect(popup.locator('#amount')).toHaveText('19.99 EUR');
  await popup.locator('#approve').click();
  await expect(page.locator('#status')).toHaveText('captured COMPLETED 19.99');
});

test('PayPalButtons from @paypal/react-paypal-js: cancel', async ({ page }) => {
  await page.goto(`${APP}/checkout`);
  const button = page.locator('button[data-funding-source="paypal"]');
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await popup.locator('#cancel').click();
  await expect(page.locator('#status')).toHaveText('cancelled');
});
