import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, formError, signIn, signInOk, signOut, signUp, uniqueEmail } from './helpers';

test('a visitor signs up, signs out and signs in again', async ({ page }) => {
  const email = uniqueEmail('newcomer');
  await signUp(page, 'New Comer', email, 'a sturdy passphrase');
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  await signOut(page);
  await page.goto('/billing');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fbilling$/);

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a sturdy passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByRole('button', { name: 'Account menu' })).toHaveText('New Comer');
});

test('a wrong password gets a clear message', async ({ page }) => {
  await page.goto('/signin');
  // No GitHub or Google credentials are configured here, so their buttons are not offered.
  await expect(page.getByRole('button', { name: /Continue with/ })).toHaveCount(0);
  await signIn(page, 'customer@example.com', 'not the password');
  await expect(formError(page)).toHaveText('That email and password do not match an account.');
  await expect(page).toHaveURL(/\/signin/);
});

test('sign-up refuses an existing email and a weak password', async ({ page }) => {
  await signUp(page, 'Copy Cat', 'customer@example.com', 'a sturdy passphrase');
  await expect(page.getByText('An account with this email already exists. Sign in instead.')).toBeVisible();
  await signUp(page, 'Weak', uniqueEmail('weak'), 'short');
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
  await signUp(page, 'Bad', 'not-an-email', 'a sturdy passphrase');
  await expect(page.getByText('Enter a valid email address.')).toBeVisible();
});

test('repeated failed sign-ins are rate limited', async ({ page }) => {
  const email = uniqueEmail('target');
  await signUp(page, 'Target', email, 'a sturdy passphrase');
  await signOut(page);
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `wrong guess ${i}`);
    await expect(formError(page)).toHaveText('That email and password do not match an account.');
  }
  await signIn(page, email, 'a sturdy passphrase');
  await expect(formError(page)).toHaveText(/Too many failed sign-in attempts/);
});

test('an anonymous visitor is sent to sign in from admin and returns there', async ({ page }) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin$/);
  await page.getByLabel('Email').fill('admin@example.com');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Admin', exact: true })).toBeVisible();
});

test('a customer is refused the admin pages by the server', async ({ page }) => {
  await signInOk(page, 'customer@example.com', DEMO_PASSWORD);
  for (const path of ['/admin', '/admin/outbox']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
    await expect(page.getByText('Payments mode')).toHaveCount(0);
  }
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
});

test('support staff are refused the admin pages too', async ({ page }) => {
  await signInOk(page, 'support@example.com', DEMO_PASSWORD);
  expect((await page.goto('/admin'))?.status()).toBe(403);
});

test('a forgotten password is reset through the emailed link', async ({ page, browser }) => {
  const email = uniqueEmail('forgetful');
  await signUp(page, 'Forgetful', email, 'the first passphrase');
  await signOut(page);

  await page.goto('/signin');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  // A client-side navigation: wait for the new page, or the sign-in form's Email field gets the text.
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a reset link' }).click();
  await expect(page.getByText('If an account exists for that email')).toBeVisible();

  // The admin reads the sandbox outbox, where the email stays when no SMTP server is set.
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signInOk(adminPage, 'admin@example.com', DEMO_PASSWORD);
  await adminPage.goto('/admin/outbox');
  const row = adminPage.getByRole('row').filter({ hasText: email }).filter({ hasText: 'Reset your password' });
  // The email job runs in the background: reload until it has gone out.
  await expect(async () => {
    await adminPage.reload();
    await expect(row.getByRole('cell', { name: 'sent' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await row.getByRole('link', { name: 'Reset your password' }).click();
  const text = await adminPage.getByTestId('email-text').innerText();
  const link = /(http\S+\/reset-password\?token=\S+)/.exec(text)?.[1];
  expect(link).toBeTruthy();
  await admin.close();
  // A session signed in elsewhere before the reset.
  const elsewhere = await browser.newContext();
  const elsewherePage = await elsewhere.newPage();
  await signInOk(elsewherePage, email, 'the first passphrase');

  await page.goto(link!);
  await page.getByLabel('New password').fill('the second passphrase');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Your password was changed.')).toBeVisible();
  await signIn(page, email, 'the first passphrase');
  await expect(formError(page)).toHaveText('That email and password do not match an account.');
  // Signed in at once, within the second of the reset: this session stays; the older one has ended.
  await signIn(page, email, 'the second passphrase');
  await expect(page).toHaveURL(/\/billing$/);
  await page.reload();
  await expect(page).toHaveURL(/\/billing$/);
  await elsewherePage.goto('/billing');
  await expect(elsewherePage).toHaveURL(/\/signin/);
  await elsewhere.close();

  // The link works once.
  await page.goto(link!);
  await page.getByLabel('New password').fill('a third passphrase');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(formError(page)).toHaveText(/expired or was already used/);
});

test('health reports the database, the job queue and the mode', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: 'ok', mode: 'sandbox', database: { ok: true }, jobQueue: { ok: true, workers: 'in-process' } });
});
