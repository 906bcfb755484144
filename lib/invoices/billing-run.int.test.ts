/**
 * Time travel: the clock moves through a year of a subscription bought at checkout on Jan 31, the
 * billing run renews it at each period end and the charge job collects each invoice off-session.
 * Also: two concurrent runs, credit applied first, a failed renewal, a trial with no payment method,
 * and a cancellation at the period end.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { log } from '@/lib/log';
import { customerBalanceTransactions, customers, invoiceLines, invoices, outboxEmails, paymentMethods, payments, providerCustomers, subscriptions, webhookEvents } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { ensureCustomer } from '@/lib/checkout/customer';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { processingDepsOf, useDatabaseAndSandbox } from '@/test/sandbox';
import { stripeEvent } from '@/test/webhooks';
import { processWebhookEvent } from '@/lib/webhooks/process';
import { storeVerifiedEvent } from '@/lib/webhooks/receive';
import { recordBalanceTransaction } from './balance';
import { renewSubscription, renewSubscriptions, runBilling, sendTrialReminders, type BillingDeps } from './billing-run';
import { chargeInvoice, chargeInvoices } from './charge';
import { InvoiceNotFoundError, invoiceDocument } from './document';
import { renderInvoicePdf } from './pdf';
import { invoicePayment, refreshInvoicePayment } from './pay';
import { presentInvoice } from './presentation';
import { testBillingSettings } from '@/test/settings';

const settings = testBillingSettings;

describe(`the billing run (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  const deps = (): BillingDeps & Parameters<typeof chargeInvoice>[0] => ({ db: db(), boss: env.t.boss, gateways: env.gateways, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: ['US-NY'] }, settings });

  /** A customer who bought `lookupKey` at `at` with `paymentMethod` (a card, or a trial's saved card). */
  async function subscribe(lookupKey: string, at: Date, paymentMethod = 'pm_card_visa', quantity = 1) {
    const user = await createUser(db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), lookupKey), quantity, provider: 'stripe' }, at);
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    if (checkout.kind === 'setup') await env.gateways.stripe.setupIntents.confirm(checkout.providerIntentId!, { payment_method: paymentMethod });
    else await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: paymentMethod });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at, { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    return { user, sub, customer: await ensureCustomer(db(), user.id) };
  }
  const invoicesOf = (subscriptionId: string) => db().select().from(invoices).where(eq(invoices.subscriptionId, subscriptionId)).orderBy(asc(invoices.periodStart));
  const subscription = async (id: string) => (await db().select().from(subscriptions).where(eq(subscriptions.id, id)))[0];
  const emails = async (to: string) => (await db().select({ template: outboxEmails.template }).from(outboxEmails).where(eq(outboxEmails.to, to))).map((e) => e.template);

  it('renews a monthly plan from Jan 31 for a year, on the anchor day, each invoice numbered, taxed and paid once', async () => {
    const { sub, customer } = await subscribe('starter_month_usd', new Date('2026-01-31T10:00:00Z'));
    expect(sub.currentPeriodEnd).toEqual(new Date('2026-02-28T10:00:00Z'));
    const ends: string[] = [];
    for (let month = 0; month < 12; month++) {
      const due = (await subscription(sub.id)).currentPeriodEnd;
      const result = await runBilling(deps(), due);
      expect(result.invoiced).toBeGreaterThanOrEqual(1);
      const [latest] = (await invoicesOf(sub.id)).slice(-1);
      expect(await chargeInvoice(deps(), { invoiceId: latest.id, attempt: 1 }, due)).toBe('paid');
      // A retried job for the same attempt finds nothing left to charge.
      expect(await chargeInvoice(deps(), { invoiceId: latest.id, attempt: 1 }, due)).toBe('nothing_due');
      ends.push((await subscription(sub.id)).currentPeriodEnd.toISOString().slice(0, 10));
    }
    expect(ends).toEqual(['2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31', '2027-01-31', '2027-02-28']);
    const all = await invoicesOf(sub.id);
    expect(all).toHaveLength(12);
    expect(all.every((i) => i.status === 'paid' && i.amountPaid === i.amountDue)).toBe(true);
    // New York's 4% state rate on $9.00 is $0.36.
    expect(all[0]).toMatchObject({ subtotal: 900, taxTotal: 36, total: 936, amountDue: 936, billingReason: 'subscription_cycle' });
    const lines = await db().select().from(invoiceLines).where(eq(invoiceLines.invoiceId, all[0].id)).orderBy(asc(invoiceLines.position));
    expect(lines.map((l) => [l.kind, l.amount, l.taxJurisdiction])).toEqual([['subscription', 900, null], ['tax', 36, 'New York']]);
    expect(all.map((i) => i.number)).toEqual([...new Set(all.map((i) => i.number))]);
    expect(all[0].number).toMatch(/^INV-2026-\d{6}$/);
    expect(all[11].number).toMatch(/^INV-2027-\d{6}$/);
    expect(await emails(customer.email)).toEqual(expect.arrayContaining(['invoice_finalized', 'invoice_paid']));

    // The document: its customer and staff may read it, nobody else; HTML and PDF say the same.
    const owner = (await db().select({ userId: customers.userId }).from(customers).where(eq(customers.id, customer.id)))[0].userId;
    const seller = { name: 'Example SaaS Inc.', address: ['1 Market Street'], taxId: null };
    const doc = await invoiceDocument(db(), seller, { id: owner, role: 'customer' }, all[0].id);
    const shown = presentInvoice(doc);
    expect(shown.lines).toEqual([{ description: 'Starter', detail: 'February 28, 2026 – March 31, 2026', amount: '$9.00' }]);
    expect(shown.totals.find((t) => t.label === 'Amount remaining')?.amount).toBe('$0.00');
    expect(shown.totals.map((t) => t.label)).toContain('Sales tax 4% (New York)');
    await expect(invoiceDocument(db(), seller, { id: 'someone-else', role: 'customer' }, all[0].id)).rejects.toBeInstanceOf(InvoiceNotFoundError);
    await expect(invoiceDocument(db(), seller, { id: 'a-support-agent', role: 'support' }, all[0].id)).resolves.toBeDefined();
    const pdf = await renderInvoicePdf(shown);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
  });

  it('renews a plan bought with PayPal by charging the saved PayPal account', async () => {
    const user = await createUser(db());
    const at = new Date('2026-10-05T12:00:00Z');
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1, provider: 'paypal' }, at);
    await env.sb.control('paypal/approve_order', { order_id: started.paypalOrderId });
    await fulfilCheckout(checkoutDepsOf(env), started.checkoutId, at, { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, started.checkoutId));
    await runBilling(deps(), sub.currentPeriodEnd);
    const [invoice] = await invoicesOf(sub.id);
    expect(await chargeInvoice(deps(), { invoiceId: invoice.id, attempt: 1 }, sub.currentPeriodEnd)).toBe('paid');
    const [paid] = await invoicesOf(sub.id);
    const [payment] = await db().select().from(payments).where(eq(payments.id, paid.paymentId!));
    expect(payment).toMatchObject({ provider: 'paypal', status: 'succeeded', amount: paid.amountDue });

    // The next renewal is declined by PayPal: recorded, the invoice stays open, the subscription is past due.
    const renewed = (await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id)))[0];
    await runBilling(deps(), renewed.currentPeriodEnd);
    const [, second] = await invoicesOf(sub.id);
    await env.sb.control('paypal/decline_next_capture', { mode: 'INSTRUMENT_DECLINED' });
    expect(await chargeInvoice(deps(), { invoiceId: second.id, attempt: 1 }, renewed.currentPeriodEnd)).toBe('failed');
    expect((await invoicesOf(sub.id))[1]).toMatchObject({ status: 'open', attemptCount: 1 });
    expect((await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id)))[0].status).toBe('past_due');
  });

  it('emails a trial ending within 3 days once, saying what happens next', async () => {
    const { sub, customer } = await subscribe('pro_month_eur', new Date('2026-11-01T09:00:00Z'));
    expect(sub).toMatchObject({ status: 'trialing', currentPeriodEnd: new Date('2026-11-15T09:00:00Z') });
    expect(await sendTrialReminders(deps(), new Date('2026-11-11T09:00:00Z'))).toBe(0);
    const [first, again] = await Promise.all([sendTrialReminders(deps(), new Date('2026-11-12T10:00:00Z')), sendTrialReminders(deps(), new Date('2026-11-12T10:00:00Z'))]);
    expect(first + again).toBe(1);
    expect(await sendTrialReminders(deps(), new Date('2026-11-13T10:00:00Z'))).toBe(0);
    const sent = await db().select().from(outboxEmails).where(eq(outboxEmails.to, customer.email));
    const reminder = sent.find((e) => e.template === 'trial_ending');
    expect(reminder?.subject).toBe('Your Pro trial ends on 2026-11-15');
    expect(reminder?.text).toMatch(/charge your saved payment method/);
  });

  it('two billing runs at once bill each period once', async () => {
    const { sub } = await subscribe('starter_month_eur', new Date('2026-03-15T08:00:00Z'));
    const due = sub.currentPeriodEnd;
    const runs = await Promise.all([runBilling(deps(), due), runBilling(deps(), due), runBilling(deps(), due)]);
    expect(runs.reduce((n, r) => n + r.invoiced, 0)).toBeGreaterThanOrEqual(1);
    expect(await invoicesOf(sub.id)).toHaveLength(1);
    // And a run repeated later for the same instant finds nothing to do for it.
    await runBilling(deps(), due);
    expect(await invoicesOf(sub.id)).toHaveLength(1);
  });

  it('a renewal whose run stopped before finalizing is numbered, emailed and charged by the next run', async () => {
    const { sub, customer } = await subscribe('starter_month_usd', new Date('2026-04-02T09:00:00Z'));
    const due = sub.currentPeriodEnd;
    // As if the process died between the renewal's commit and the finalization.
    expect(await renewSubscription(deps(), sub.id, due)).toBe('invoiced');
    const [draft] = await invoicesOf(sub.id);
    expect(draft).toMatchObject({ status: 'draft', number: null });
    expect(await runBilling(deps(), due)).toMatchObject({ invoiced: 0 });
    const [finalized] = await invoicesOf(sub.id);
    expect(finalized.status).toBe('open');
    expect(finalized.number).toMatch(/^INV-2026-\d{6}$/);
    expect(await emails(customer.email)).toContain('invoice_finalized');
    expect(await chargeInvoice(deps(), { invoiceId: finalized.id, attempt: 1 }, due)).toBe('paid');
  });

  it('catches up several missed periods, one invoice each', async () => {
    const { sub } = await subscribe('pro_month_usd', new Date('2026-05-10T00:00:00Z'));
    // The trial ends May 24; three periods later the app runs again.
    await runBilling(deps(), new Date('2026-08-01T00:00:00Z'));
    const all = await invoicesOf(sub.id);
    expect(all.map((i) => i.periodStart?.toISOString().slice(0, 10))).toEqual(['2026-05-24', '2026-06-24', '2026-07-24']);
    expect((await subscription(sub.id)).status).toBe('active');
  });

  it("uses the customer's credit first, and never bills below zero", async () => {
    const { sub, customer } = await subscribe('starter_month_usd', new Date('2026-04-30T12:00:00Z'));
    await recordBalanceTransaction(db(), { customerId: customer.id, currency: 'USD', amount: 1500, type: 'goodwill_credit', description: 'Sorry for the outage', idempotencyKey: `goodwill:${customer.id}:1` });
    await runBilling(deps(), sub.currentPeriodEnd);
    const [first] = await invoicesOf(sub.id);
    // $9.36 due, all of it from the $15.00 credit: paid at once, $5.64 left.
    expect(first).toMatchObject({ total: 936, creditApplied: 936, amountDue: 0, status: 'paid' });
    await runBilling(deps(), (await subscription(sub.id)).currentPeriodEnd);
    const [, second] = await invoicesOf(sub.id);
    expect(second).toMatchObject({ total: 936, creditApplied: 564, amountDue: 372, status: 'open' });
  });

  it("two plans of one customer renewed in the same batch spend the customer's credit once", async () => {
    const { user, sub: starter, customer } = await subscribe('starter_month_usd', new Date('2026-06-03T12:00:00Z'));
    // The same customer also buys Pro at the same instant, so both fall due together.
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), 'pro_month_usd'), quantity: 1, provider: 'stripe' }, new Date('2026-06-03T12:00:00Z'));
    const second = await checkoutOfUser(db(), user.id, started.checkoutId);
    if (second.kind === 'setup') await env.gateways.stripe.setupIntents.confirm(second.providerIntentId!, { payment_method: 'pm_card_visa' });
    else await env.gateways.stripe.paymentIntents.confirm(second.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDepsOf(env), started.checkoutId, new Date('2026-06-03T12:00:00Z'), { type: 'user', id: user.id });
    const [pro] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, started.checkoutId));
    await recordBalanceTransaction(db(), { customerId: customer.id, currency: 'USD', amount: 1000, type: 'goodwill_credit', description: 'Goodwill', idempotencyKey: `goodwill:${customer.id}:batch` });

    expect(await renewSubscriptions(deps(), [starter.id, pro.id], starter.currentPeriodEnd)).toEqual(['invoiced', 'invoiced']);
    const [first] = await invoicesOf(starter.id);
    const [next] = await invoicesOf(pro.id);
    expect(first.creditApplied + next.creditApplied).toBe(1000);
    // Whichever the batch billed first took what it could; the other the rest.
    expect([first, next].some((invoice) => invoice.creditApplied === Math.min(1000, invoice.total))).toBe(true);
    const ledger = await db().select().from(customerBalanceTransactions).where(eq(customerBalanceTransactions.customerId, customer.id));
    expect(ledger.reduce((sum, entry) => sum + entry.amount, 0)).toBe(0);
  });

  it("a worker's batch of charges: the paid ones recorded together, a decline and a missing invoice each on their own", async () => {
    const at = new Date('2026-06-09T12:00:00Z');
    const subs = await Promise.all([subscribe('starter_month_usd', at), subscribe('starter_month_usd', at), subscribe('starter_month_usd', at)]);
    // The third customer's saved card now declines.
    const declining = subs[2].sub.customerId;
    const [stripeCustomer] = await db().select().from(providerCustomers).where(eq(providerCustomers.customerId, declining));
    const card = await env.gateways.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: stripeCustomer.providerCustomerId });
    await db().update(paymentMethods).set({ providerPaymentMethodId: card.id }).where(eq(paymentMethods.customerId, declining));
    await runBilling(deps(), subs[0].sub.currentPeriodEnd);
    const opened = await Promise.all(subs.map(async ({ sub }) => (await invoicesOf(sub.id))[0]));

    // The paid ones go through the set-wise record, not its one-by-one fallback (which warns).
    const warn = vi.spyOn(log, 'warn');
    const results = await chargeInvoices(deps(), [...opened.map((invoice) => ({ invoiceId: invoice.id, attempt: 1 })), { invoiceId: randomUUID(), attempt: 1 }], at);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'error'))).toEqual(['paid', 'paid', 'failed', 'error']);
    expect(warn.mock.calls.map(([message]) => message)).not.toContain('recording a batch of paid invoices failed; recording them one by one');
    warn.mockRestore();
    const after = await Promise.all(opened.map((invoice) => db().select().from(invoices).where(eq(invoices.id, invoice.id)).then((rows) => rows[0])));
    expect(after.map((invoice) => invoice.status)).toEqual(['paid', 'paid', 'open']);
    expect(after[0]).toMatchObject({ amountPaid: after[0].amountDue, attemptCount: 1 });
    const [paid] = await db().select().from(payments).where(eq(payments.id, after[0].paymentId!));
    expect(paid).toMatchObject({ status: 'succeeded', amount: after[0].amountDue, customerId: subs[0].customer.id });
    expect(await emails(subs[1].customer.email)).toContain('invoice_paid');
    expect((await subscription(subs[2].sub.id)).status).toBe('past_due');
    // A job retried for the same attempt charges nothing more.
    expect((await chargeInvoices(deps(), [{ invoiceId: opened[0].id, attempt: 1 }, { invoiceId: opened[1].id, attempt: 1 }], at)).map((r) => r.status === 'fulfilled' && r.value)).toEqual(['nothing_due', 'nothing_due']);
  });

  it('a declined renewal leaves the invoice open and the subscription past due, and emails the customer', async () => {
    const { sub, customer } = await subscribe('team_month_usd', new Date('2026-06-01T09:00:00Z'), 'pm_card_chargeCustomerFail', 2);
    await runBilling(deps(), sub.currentPeriodEnd);
    const [invoice] = await invoicesOf(sub.id);
    expect(await chargeInvoice(deps(), { invoiceId: invoice.id, attempt: 1 }, sub.currentPeriodEnd)).toBe('failed');
    expect((await invoicesOf(sub.id))[0]).toMatchObject({ status: 'open', attemptCount: 1, amountPaid: 0 });
    expect(await subscription(sub.id)).toMatchObject({ status: 'past_due', pastDueSince: sub.currentPeriodEnd });
    expect(await emails(customer.email)).toContain('invoice_payment_failed');
  });

  it('a renewal the bank wants confirmed: the invoice stays open, the customer confirms on the pay page, then it is paid', async () => {
    const user = await createUser(db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1, provider: 'stripe' }, new Date('2026-09-01T00:00:00Z'));
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_authenticationRequired' });
    await env.sb.control('stripe/authenticate', { intent: checkout.providerIntentId, outcome: 'complete' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, new Date('2026-09-01T00:00:00Z'), { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));

    await runBilling(deps(), sub.currentPeriodEnd);
    const [invoice] = await invoicesOf(sub.id);
    expect(await chargeInvoice(deps(), { invoiceId: invoice.id, attempt: 1 }, sub.currentPeriodEnd)).toBe('action_required');
    expect((await invoicesOf(sub.id))[0].status).toBe('open');
    const customer = await ensureCustomer(db(), user.id);
    expect(await emails(customer.email)).toContain('invoice_action_required');

    const viewer = { id: user.id, role: 'customer' };
    const seller = { name: 'Example SaaS Inc.', address: [], taxId: null };
    const payment = await invoicePayment({ db: db(), gateways: env.gateways, seller }, viewer, invoice.id);
    expect(payment.clientSecret).toMatch(/_secret_/);
    // What stripe.confirmCardPayment does in the browser: confirm with the saved card, pass the challenge.
    const intentId = payment.clientSecret!.split('_secret_')[0];
    await env.gateways.stripe.paymentIntents.confirm(intentId, { payment_method: payment.paymentMethodId! });
    await env.sb.control('stripe/authenticate', { intent: intentId, outcome: 'complete' });
    // The webhook settles it (payment_intent.succeeded names the invoice); the page's refresh then finds it done.
    const event = stripeEvent('payment_intent.succeeded', { id: intentId, object: 'payment_intent' });
    await storeVerifiedEvent(db(), env.t.boss, { provider: 'stripe', id: event.id, type: event.type, payload: event });
    const [row] = await db().select().from(webhookEvents).where(eq(webhookEvents.eventId, event.id));
    expect(await processWebhookEvent(processingDepsOf(env), row.id, { lastAttempt: false })).toBe('processed');
    expect((await db().select().from(webhookEvents).where(eq(webhookEvents.id, row.id)))[0].outcome).toBe('invoice: paid');
    const refreshDeps = { ...deps(), seller };
    expect(await refreshInvoicePayment(refreshDeps, viewer, invoice.id, new Date())).toBe('nothing_due');
    expect((await invoicesOf(sub.id))[0]).toMatchObject({ status: 'paid', amountPaid: invoice.amountDue });
    await expect(refreshInvoicePayment(refreshDeps, { id: 'intruder', role: 'customer' }, invoice.id, new Date())).rejects.toBeInstanceOf(InvoiceNotFoundError);
  });

  it('a trial with no payment method pauses at its end; a subscription set to cancel ends without an invoice', async () => {
    const { sub: trial, customer } = await subscribe('team_month_eur', new Date('2026-07-01T00:00:00Z'));
    await db().update(subscriptions).set({ status: 'trialing' }).where(eq(subscriptions.id, trial.id));
    await db().delete(paymentMethods).where(eq(paymentMethods.customerId, customer.id));
    await runBilling(deps(), trial.currentPeriodEnd);
    expect((await subscription(trial.id)).status).toBe('paused');
    expect(await invoicesOf(trial.id)).toHaveLength(0);
    expect(await emails(customer.email)).toContain('subscription_paused');

    const { sub } = await subscribe('starter_year_usd', new Date('2026-02-01T00:00:00Z'));
    await db().update(subscriptions).set({ cancelAtPeriodEnd: true, canceledAt: new Date('2026-06-01T00:00:00Z') }).where(eq(subscriptions.id, sub.id));
    await runBilling(deps(), sub.currentPeriodEnd);
    expect(await subscription(sub.id)).toMatchObject({ status: 'canceled', endedAt: sub.currentPeriodEnd });
    expect(await invoicesOf(sub.id)).toHaveLength(0);
  });
});
