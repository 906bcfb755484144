/**
 * Runs the sandbox's own browser tests (e2e/sandbox) without the app's webServer:
 *   npx playwright test --config sandbox/playwright.config.ts
 * Each spec starts its own sandbox on a free port.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '../e2e/sandbox',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  outputDir: '../test-results/sandbox',
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
