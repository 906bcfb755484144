/**
 * Checkout in the browser against the production build and the sandbox: cards (success, decline then
 * success, 3-D Secure passed and failed), PayPal (approve, cancel, capture declined), a trial, the
 * hosted page, a signed-out visitor, and a database that holds no card number afterwards.
 */
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { uniqueEmail } from './helpers';
import { billingDetails, buyStarterByCard, choose, newCustomer, PASSWORD, SANDBOX, typeCard } from './purchase';

function challenge(page: Page) {
  return page.frameLocator('iframe[name="stripe-sandbox-challenge"]');
}

function paymentAlert(page: Page) {
  return page.getByRole('form', { name: 'Card payment' }).getByRole('alert');
}

test('a card pays for a plan: tax for the address, success page, receipt, billing page', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'starter', /Subscribe/);
  await billingDetails(page, { country: 'US', postalCode: '94105' });
  // California's state rate on $9.00: 7.25% = $0.65 (rounded half up from 0.6525).
  await expect(page.getByTestId('summary-tax')).toContainText('$0.65');
  await expect(page.getByTestId('summary-due-today')).toHaveText('$9.65');
  await typeCard(page, '4242424242424242');
  await page.getByRole('button', { name: 'Pay $9.65' }).click();
  await page.waitForURL(/\/checkout\/success\?checkout=/);
  await expect(page.getByRole('heading', { name: 'Thank you for your purchase' })).toBeVisible();
  await expect(page.getByTestId('receipt-item')).toHaveText('Starter, billed monthly');
  await expect(page.getByTestId('receipt-paid')).toHaveText('$9.65');
  await expect(page.getByTestId('receipt-method')).toHaveText('Visa ending in 4242');
  await page.getByRole('link', { name: 'View receipt' }).click();
  await expect(page.getByRole('heading', { name: 'Receipt' })).toBeVisible();
  await expect(page.getByTestId('receipt-total')).toHaveText('$9.65');
  await page.goto('/billing');
  await expect(page.getByTestId('subscription')).toContainText('Starter');
  await expect(page.getByTestId('subscription')).toContainText('active');

  // A second subscription to the same plan is refused with a pointer to billing.
  await choose(page, 'starter', /Subscribe/);
  await expect(page.getByText('You already have Starter.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to billing' })).toBeVisible();
});

test('in billing, the customer sets the plan to end, takes it back, then cancels it now', async ({ page }) => {
  await buyStarterByCard(page);
  await page.goto('/billing');
  const subscription = page.getByTestId('subscription');
  await subscription.getByRole('button', { name: 'Cancel at period end' }).click();
  await expect(subscription.getByText('Your subscription ends with its current period.')).toBeVisible();
  await expect(subscription).toContainText('ends ');
  await subscription.getByRole('button', { name: 'Resume' }).click();
  await expect(subscription.getByText('Your subscription continues.')).toBeVisible();
  await expect(subscription).toContainText('active, renews');
  await subscription.getByRole('button', { name: 'Cancel now' }).click();
  await expect(subscription).toContainText('canceled');
  await expect(subscription.getByRole('button')).toHaveCount(0);
});

test('in billing, the customer previews and makes an upgrade, then schedules a downgrade', async ({ page }) => {
  await buyStarterByCard(page);
  await page.goto('/billing');
  await page.getByTestId('subscription').getByRole('link', { name: 'Change plan' }).click();
  await page.waitForURL(/\/change$/);
  const choose_ = page.getByRole('form', { name: 'Choose a plan' });
  await choose_.getByLabel('Plan').selectOption({ label: 'Pro, monthly' });
  await choose_.getByRole('button', { name: 'Preview' }).click();
  // Moments into the period: almost all of Starter comes back and almost all of Pro is due.
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText('Unused time on Starter');
  await expect(page.getByTestId('change-due')).toContainText('Due now: $');
  await page.getByRole('button', { name: 'Change and pay now' }).click();
  await page.waitForURL(/\/billing\?changed=1/);
  await expect(page.getByTestId('subscription')).toContainText('Pro');
  await expect(page.getByRole('list', { name: 'Invoices' })).toContainText('INV-');

  await page.getByTestId('subscription').getByRole('link', { name: 'Change plan' }).click();
  await page.getByRole('form', { name: 'Choose a plan' }).getByLabel('Plan').selectOption({ label: 'Starter, monthly' });
  await page.getByRole('form', { name: 'Choose a plan' }).getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('change-timing')).toContainText('This is a downgrade');
  await page.getByRole('button', { name: 'Schedule the change' }).click();
  await page.waitForURL(/\/billing\?changed=1/);
  await expect(page.getByTestId('subscription')).toContainText('Pro');
  await expect(page.getByTestId('scheduled-change')).toContainText('Changes to Starter (monthly)');
  await page.getByRole('button', { name: 'Keep current plan' }).click();
  await expect(page.getByTestId('scheduled-change')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('scheduled-change')).toHaveCount(0);

  // The plan's features, as the SaaS asks for them.
  const access = async (feature: string) => (await page.request.get(`/api/entitlements?feature=${encodeURIComponent(feature)}`)).json();
  expect(await access('Unlimited projects')).toMatchObject({ feature: 'Unlimited projects', allowed: true, reason: 'active' });
  expect(await access('SSO')).toMatchObject({ allowed: false, reason: 'feature_not_in_plan' });
  expect((await page.request.get('/api/entitlements')).status()).toBe(400);
});

test('a declined card shows the decline; another card then pays', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'onboarding', /Buy now/);
  await billingDetails(page, { country: 'US', postalCode: '97201' }); // Oregon: no sales tax
  await expect(page.getByTestId('summary-due-today')).toHaveText('$499.00');
  await typeCard(page, '4000000000000002');
  await page.getByRole('button', { name: 'Pay $499.00' }).click();
  await expect(paymentAlert(page)).toHaveText('Your card was declined.');
  await typeCard(page, '4242424242424242');
  await page.getByRole('button', { name: 'Pay $499.00' }).click();
  await page.waitForURL(/\/checkout\/success/);
  await expect(page.getByTestId('receipt-item')).toHaveText('Onboarding package');
  await expect(page.getByTestId('receipt-paid')).toHaveText('$499.00');
});

test('3-D Secure completed pays', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'starter', /Subscribe/, { interval: 'year' });
  await billingDetails(page, { country: 'US', postalCode: '97201' });
  await typeCard(page, '4000002760003184');
  await page.getByRole('button', { name: 'Pay $90.00' }).click();
  await challenge(page).getByRole('button', { name: 'Complete' }).click();
  await page.waitForURL(/\/checkout\/success/);
  await expect(page.getByTestId('receipt-item')).toHaveText('Starter, billed yearly');
});

test('3-D Secure failed: a clear message and nothing created', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'starter', /Subscribe/);
  await billingDetails(page, { country: 'US', postalCode: '97201' });
  await typeCard(page, '4000002760003184');
  await page.getByRole('button', { name: 'Pay $9.00' }).click();
  await challenge(page).getByRole('button', { name: 'Fail' }).click();
  await expect(paymentAlert(page)).toContainText('unable to authenticate');
  await expect(page).toHaveURL(/\/checkout\?price=/);
  await page.goto('/billing');
  await expect(page.getByText('You have no subscription yet')).toBeVisible();
});

test('a trial starts with no charge today and saves the card', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'pro', /Start 14-day trial/, { currency: 'EUR' });
  await billingDetails(page, { country: 'DE', postalCode: '10115' });
  // German VAT on the first charge at the trial's end: €27.00 + 19% = €32.13; nothing today.
  await expect(page.getByTestId('summary-due-today')).toHaveText('€0.00');
  await expect(page.getByTestId('summary-total')).toHaveText('€32.13');
  await expect(page.getByRole('radio', { name: 'PayPal' })).toHaveCount(0);
  await typeCard(page, '4242424242424242');
  await page.getByRole('button', { name: 'Start trial' }).click();
  await page.waitForURL(/\/checkout\/success/);
  await expect(page.getByRole('heading', { name: 'Your trial has started' })).toBeVisible();
  await expect(page.getByTestId('receipt-paid')).toHaveText('€0.00');
  await expect(page.getByTestId('receipt-method')).toHaveText('Visa ending in 4242');
  await expect(page.getByTestId('receipt-subscription')).toContainText('Trial until');
});

test('an EU business with a VAT id from another member state is reverse charged', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'onboarding', /Buy now/, { currency: 'EUR' });
  await billingDetails(page, { country: 'FR', postalCode: '75001' });
  await expect(page.getByTestId('summary-due-today')).toHaveText('€550.80'); // €459.00 + 20%
  await billingDetails(page, { country: 'FR', postalCode: '75001', vatId: 'FR40303265045' });
  await expect(page.getByTestId('summary-due-today')).toHaveText('€459.00');
  await expect(page.getByText(/reverse charge/i).first()).toBeVisible();
  const form = page.getByRole('form', { name: 'Billing details' });
  await form.getByLabel(/VAT id/).fill('FR123');
  await form.getByRole('button', { name: 'Save billing details' }).click();
  await expect(form.locator('#vatId-error')).toBeVisible();
  // Nothing was saved: the summary still shows the reverse charge for the valid id.
  await expect(page.getByTestId('summary-due-today')).toHaveText('€459.00');
});

test('PayPal: approve and capture', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'starter', /Subscribe/);
  await billingDetails(page, { country: 'US', postalCode: '97201' });
  await page.getByRole('radio', { name: 'PayPal' }).click();
  const button = page.locator('button[data-funding-source="paypal"]');
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await expect(popup.locator('#amount')).toHaveText('9.00 USD');
  await popup.locator('#approve').click();
  await page.waitForURL(/\/checkout\/success/);
  await expect(page.getByTestId('receipt-method')).toHaveText(/^PayPal/);
  await expect(page.getByTestId('receipt-paid')).toHaveText('$9.00');
});

test('PayPal: the buyer cancels, nothing is created', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'starter', /Subscribe/);
  await billingDetails(page, { country: 'US', postalCode: '97201' });
  await page.getByRole('radio', { name: 'PayPal' }).click();
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('button[data-funding-source="paypal"]').click()]);
  await popup.locator('#cancel').click();
  await expect(page.getByText('You cancelled in PayPal. Nothing was charged')).toBeVisible();
  await page.goto('/billing');
  await expect(page.getByText('You have no subscription yet')).toBeVisible();
});

test('PayPal: a declined capture gets a clear message', async ({ page, request }) => {
  await newCustomer(page);
  await choose(page, 'onboarding', /Buy now/);
  await billingDetails(page, { country: 'US', postalCode: '97201' });
  await page.getByRole('radio', { name: 'PayPal' }).click();
  expect((await request.post(`${SANDBOX}/_sandbox/paypal/decline_next_capture`, { data: {} })).ok()).toBe(true);
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('button[data-funding-source="paypal"]').click()]);
  await popup.locator('#approve').click();
  await expect(page.getByText(/PayPal declined the payment/)).toBeVisible();
});

test('the hosted page: pay on Stripe and come back to the success page', async ({ page }) => {
  await newCustomer(page);
  await choose(page, 'starter', /Subscribe/);
  await billingDetails(page, { country: 'US', postalCode: '97201' });
  await page.getByRole('radio', { name: 'Hosted page' }).click();
  await page.getByRole('button', { name: 'Pay on a hosted page' }).click();
  await page.waitForURL(/\/checkout\/pay\/cs_test_/);
  await page.getByLabel('Email').fill('hosted@example.com');
  const frame = page.frameLocator('#payment-element iframe');
  await frame.getByLabel('Card number').pressSequentially('4242424242424242');
  await frame.getByLabel('Expiration date').pressSequentially('12 / 34');
  await frame.getByLabel('Security code').pressSequentially('123');
  await page.getByRole('button', { name: 'Pay $9.00' }).click();
  await page.waitForURL(/\/checkout\/success/);
  await expect(page.getByTestId('receipt-paid')).toHaveText('$9.00');
  await expect(page.getByTestId('receipt-method')).toHaveText('Visa ending in 4242');
});

test('a signed-out visitor signs up and returns to the same checkout', async ({ page }) => {
  await page.goto('/pricing?interval=month&currency=USD');
  const team = page.getByTestId('plan-team');
  await team.getByLabel('Seats').fill('3');
  await expect(team.getByTestId('seat-total')).toHaveText('$36.00 / month');
  await team.getByRole('link', { name: /Start 14-day trial/ }).click();
  await page.waitForURL(/\/signin\?callbackUrl=/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.waitForURL(/\/signup\?callbackUrl=/);
  await page.getByLabel('Name').fill('Team Lead');
  await page.getByLabel('Email').fill(uniqueEmail('lead'));
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/checkout\?price=.*quantity=3/);
  await expect(page.getByTestId('summary-item')).toHaveText('Team × 3 seats, billed monthly');
});

test('bad checkout links get a clear message', async ({ page }) => {
  await newCustomer(page);
  await page.goto('/checkout?price=not-a-price&quantity=1');
  await expect(page.getByText('This price does not exist.')).toBeVisible();
  await choose(page, 'team', /Start 14-day trial/);
  const url = new URL(page.url());
  await page.goto(`/checkout?price=${url.searchParams.get('price')}&quantity=201`);
  await expect(page.getByText('Team allows at most 200 seats.')).toBeVisible();
});

test('the database holds no card number after the run', async () => {
  test.skip(!process.env.E2E_DATABASE_URL, 'PGlite is held open by the server; the PostgreSQL run of these specs checks it');
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1 });
  try {
    const tables = await sql<{ name: string }[]>`SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`;
    const cards = ['4242424242424242', '4000000000000002', '4000002760003184'];
    let rows = 0;
    for (const { name } of tables) {
      const [found] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${name} t WHERE ${cards.map((c) => `row_to_json(t)::text LIKE '%${c}%'`).join(' OR ')}`);
      expect(found.n, `card number in ${name}`).toBe(0);
      rows += 1;
    }
    expect(rows).toBeGreaterThan(10);
  } finally {
    await sql.end();
  }
});
