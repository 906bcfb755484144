/**
 * Dunning, lived through with the clock: a renewal whose card declines, the retries the billing run
 * queues 3, 7 and 14 days after the first failure, the emails, the subscription's state and what its
 * entitlements allow at each step. One subscription is recovered on the second retry, one is
 * canceled when the retries run out, and one left unpaid is paid at once by a card the customer adds.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, invoices, outboxEmails, paymentMethods, payments, providerCustomers, subscriptions, webhookEvents } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { ensureCustomer } from '@/lib/checkout/customer';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { completeCardUpdate, startCardUpdate } from '@/lib/customers/card-update';
import { QUEUES } from '@/lib/jobs/queue';
import { featureAccess } from '@/lib/subscriptions/entitlements';
import { processWebhookEvent } from '@/lib/webhooks/process';
import { storeVerifiedEvent } from '@/lib/webhooks/receive';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { processingDepsOf, useDatabaseAndSandbox } from '@/test/sandbox';
import { testBillingSettings } from '@/test/settings';
import { stripeEvent } from '@/test/webhooks';
import { runBilling, type BillingDeps } from './billing-run';
import { chargeInvoices, type ChargeDeps, type ChargeInvoiceJob } from './charge';
import { dunningSummary } from './dunning';

const DAY = 86_400_000;
const after = (start: Date, ms: number) => new Date(start.getTime() + ms);

describe(`dunning (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  const deps = (settings = testBillingSettings): BillingDeps & ChargeDeps => ({ db: db(), boss: env.t.boss, gateways: env.gateways, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: [] }, settings });

  // Each test's billing runs must not renew or retry another test's subscription: those end with their test.
  const testSubscriptions: string[] = [];
  afterEach(async () => {
    for (const id of testSubscriptions.splice(0)) {
      await db().update(subscriptions).set({ status: 'canceled', endedAt: new Date(0) }).where(eq(subscriptions.id, id));
      await db().update(invoices).set({ nextPaymentAttemptAt: null }).where(eq(invoices.subscriptionId, id));
    }
    await env.t.boss.deleteQueuedJobs(QUEUES.chargeInvoice);
  });

  /** A Team trial whose saved card attaches but declines every charge; renews at the returned period end. */
  async function decliningTeamTrial(at: Date) {
    const user = await createUser(db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), 'team_month_usd'), quantity: 2, provider: 'stripe' }, at);
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.setupIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_chargeCustomerFail' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at, { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    testSubscriptions.push(sub.id);
    return { user, sub, customer: await ensureCustomer(db(), user.id) };
  }

  /** The worker: every charge job queued so far, run as one batch and completed. */
  async function runChargeJobs(now: Date, settings = testBillingSettings): Promise<Array<ChargeInvoiceJob & { outcome: string }>> {
    const jobs = await env.t.boss.fetch<ChargeInvoiceJob>(QUEUES.chargeInvoice, { batchSize: 100 });
    if (jobs.length === 0) return [];
    const results = await chargeInvoices(deps(settings), jobs.map((job) => job.data), now);
    await env.t.boss.complete(QUEUES.chargeInvoice, jobs.map((job) => job.id));
    return jobs.map((job, i) => ({ ...job.data, outcome: results[i].status === 'fulfilled' ? results[i].value : `error: ${String(results[i].reason)}` }));
  }

  const invoiceOf = async (subscriptionId: string) => (await db().select().from(invoices).where(eq(invoices.subscriptionId, subscriptionId)).orderBy(asc(invoices.createdAt)))[0];
  const subscription = async (id: string) => (await db().select().from(subscriptions).where(eq(subscriptions.id, id)))[0];
  const emails = async (to: string) => (await db().select({ template: outboxEmails.template }).from(outboxEmails).where(eq(outboxEmails.to, to)).orderBy(asc(outboxEmails.createdAt))).map((e) => e.template);
  const sso = (userId: string, now: Date) => featureAccess(db(), { userId }, 'SSO', now, { pastDueGraceDays: 7 });

  /** A Stripe webhook event stored and processed, as the worker would; returns its outcome. */
  async function deliverStripe(type: string, object: Record<string, unknown>) {
    const event = stripeEvent(type, object);
    await storeVerifiedEvent(db(), env.t.boss, { provider: 'stripe', id: event.id, type: event.type, payload: event });
    const [row] = await db().select().from(webhookEvents).where(eq(webhookEvents.eventId, event.id));
    expect(await processWebhookEvent(processingDepsOf(env), row.id, { lastAttempt: false })).toBe('processed');
    return (await db().select().from(webhookEvents).where(eq(webhookEvents.id, row.id)))[0].outcome;
  }

  /** The bank's account updater: the card on file now works (no customer action, so no immediate retry). */
  async function cardStartsWorking(customerId: string) {
    const [stripeCustomer] = await db().select().from(providerCustomers).where(and(eq(providerCustomers.customerId, customerId), eq(providerCustomers.provider, 'stripe')));
    const card = await env.gateways.stripe.paymentMethods.attach('pm_card_visa', { customer: stripeCustomer.providerCustomerId });
    await db().update(paymentMethods).set({ providerPaymentMethodId: card.id }).where(eq(paymentMethods.customerId, customerId));
  }

  it('a declined renewal is retried 3 and 7 days later and recovered on the second retry; access is kept through the grace period', async () => {
    const { user, sub, customer } = await decliningTeamTrial(new Date('2027-01-10T09:00:00Z'));
    const failedAt = sub.currentPeriodEnd;
    await runBilling(deps(), failedAt);
    expect(await runChargeJobs(failedAt)).toMatchObject([{ attempt: 1, outcome: 'failed' }]);
    const invoice = await invoiceOf(sub.id);
    expect(invoice).toMatchObject({ status: 'open', attemptCount: 1, firstFailedAt: failedAt, nextPaymentAttemptAt: after(failedAt, 3 * DAY) });
    expect(await subscription(sub.id)).toMatchObject({ status: 'past_due', pastDueSince: failedAt });
    expect(await sso(user.id, failedAt)).toMatchObject({ allowed: true, reason: 'past_due_within_grace' });
    expect(await emails(customer.email)).toEqual(['checkout_receipt', 'invoice_finalized', 'invoice_payment_failed']);

    // The same job again (a worker crashed after recording) and the provider's failure webhook change nothing and send nothing.
    await chargeInvoices(deps(), [{ invoiceId: invoice.id, attempt: 1 }], failedAt);
    const [payment] = await db().select().from(payments).where(eq(payments.id, (await invoiceOf(sub.id)).paymentId!));
    expect(await deliverStripe('payment_intent.payment_failed', { id: payment.providerPaymentId, object: 'payment_intent' })).toBe('invoice: failed');
    expect(await invoiceOf(sub.id)).toMatchObject({ attemptCount: 1, nextPaymentAttemptAt: after(failedAt, 3 * DAY), chargeClaimedUntil: null });
    expect((await emails(customer.email)).filter((t) => t === 'invoice_payment_failed')).toHaveLength(1);

    // Not yet due a millisecond early; due on the day.
    expect((await runBilling(deps(), after(failedAt, 3 * DAY - 1))).retries).toBe(0);
    expect((await runBilling(deps(), after(failedAt, 3 * DAY))).retries).toBe(1);
    expect((await runBilling(deps(), after(failedAt, 3 * DAY))).retries).toBe(0);
    expect(await runChargeJobs(after(failedAt, 3 * DAY))).toMatchObject([{ attempt: 2, outcome: 'failed' }]);
    expect(await invoiceOf(sub.id)).toMatchObject({ status: 'open', attemptCount: 2, firstFailedAt: failedAt, nextPaymentAttemptAt: after(failedAt, 7 * DAY) });
    expect(await subscription(sub.id)).toMatchObject({ status: 'past_due', pastDueSince: failedAt });
    expect(await sso(user.id, after(failedAt, 3 * DAY))).toMatchObject({ allowed: true, reason: 'past_due_within_grace' });
    expect((await emails(customer.email)).filter((t) => t === 'invoice_payment_failed')).toHaveLength(2);

    // The grace period (7 days) is over before the second retry runs: access is restricted.
    expect(await sso(user.id, after(failedAt, 7 * DAY))).toMatchObject({ allowed: false, reason: 'past_due_grace_expired' });
    await cardStartsWorking(customer.id);
    expect((await runBilling(deps(), after(failedAt, 7 * DAY))).retries).toBe(1);
    expect(await runChargeJobs(after(failedAt, 7 * DAY))).toMatchObject([{ attempt: 3, outcome: 'paid' }]);
    const recovered = await invoiceOf(sub.id);
    expect(recovered).toMatchObject({ status: 'paid', amountPaid: recovered.amountDue, attemptCount: 3, nextPaymentAttemptAt: null, firstFailedAt: failedAt });
    expect(await subscription(sub.id)).toMatchObject({ status: 'active', pastDueSince: null });
    expect(await sso(user.id, after(failedAt, 7 * DAY))).toMatchObject({ allowed: true, reason: 'active' });
    expect(await emails(customer.email)).toEqual(['checkout_receipt', 'invoice_finalized', 'invoice_payment_failed', 'invoice_payment_failed', 'invoice_paid']);
    const audit = await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, recovered.id));
    expect(audit.map((a) => a.action)).toContain('invoice.recovered');

    // Counted as recovered revenue; nothing more is retried.
    const summary = await dunningSummary(db(), after(failedAt, 8 * DAY));
    expect(summary.recovered).toContainEqual({ currency: 'USD', amount: recovered.amountPaid, invoices: 1 });
    expect((await runBilling(deps(), after(failedAt, 14 * DAY))).retries).toBe(0);
  });

  it('when every retry fails, the invoice is written off, the subscription canceled, and a final email sent', async () => {
    const { user, sub, customer } = await decliningTeamTrial(new Date('2027-02-03T15:30:00Z'));
    const failedAt = sub.currentPeriodEnd;
    await runBilling(deps(), failedAt);
    expect(await runChargeJobs(failedAt)).toMatchObject([{ attempt: 1, outcome: 'failed' }]);
    for (const [days, attempt] of [[3, 2], [7, 3]] as const) {
      await runBilling(deps(), after(failedAt, days * DAY));
      expect(await runChargeJobs(after(failedAt, days * DAY))).toMatchObject([{ attempt, outcome: 'failed' }]);
      expect(await subscription(sub.id)).toMatchObject({ status: 'past_due' });
    }
    expect(await sso(user.id, after(failedAt, 10 * DAY))).toMatchObject({ allowed: false, reason: 'past_due_grace_expired' });

    await runBilling(deps(), after(failedAt, 14 * DAY));
    expect(await runChargeJobs(after(failedAt, 14 * DAY))).toMatchObject([{ attempt: 4, outcome: 'failed' }]);
    const invoice = await invoiceOf(sub.id);
    expect(invoice).toMatchObject({ status: 'uncollectible', attemptCount: 4, nextPaymentAttemptAt: null, amountPaid: 0 });
    expect(await subscription(sub.id)).toMatchObject({ status: 'canceled', endedAt: after(failedAt, 14 * DAY), pastDueSince: null });
    expect(await sso(user.id, after(failedAt, 14 * DAY))).toMatchObject({ allowed: false, reason: 'canceled' });
    expect(await emails(customer.email)).toEqual(['checkout_receipt', 'invoice_finalized', 'invoice_payment_failed', 'invoice_payment_failed', 'invoice_payment_failed', 'dunning_exhausted']);
    const audit = await db().select({ action: auditLog.action, actorId: auditLog.actorId }).from(auditLog).where(eq(auditLog.entityId, invoice.id));
    expect(audit).toContainEqual({ action: 'invoice.marked_uncollectible', actorId: 'dunning' });

    // Nothing is retried after giving up, and the canceled subscription is not renewed.
    const later = await runBilling(deps(), after(failedAt, 40 * DAY));
    expect(later).toMatchObject({ retries: 0, invoiced: 0 });
    const summary = await dunningSummary(db(), after(failedAt, 15 * DAY));
    expect(summary.writtenOff).toContainEqual({ currency: 'USD', amount: invoice.amountDue, invoices: 1 });
  });

  it('left unpaid when retries run out (a setting), a card the customer adds pays at once and restores the subscription', async () => {
    const unpaidSettings = { ...testBillingSettings, retriesExhausted: 'mark_unpaid' as const, retryDays: [2] };
    const { user, sub, customer } = await decliningTeamTrial(new Date('2027-03-05T08:00:00Z'));
    const failedAt = sub.currentPeriodEnd;
    await runBilling(deps(unpaidSettings), failedAt);
    expect(await runChargeJobs(failedAt, unpaidSettings)).toMatchObject([{ attempt: 1, outcome: 'failed' }]);
    expect(await invoiceOf(sub.id)).toMatchObject({ nextPaymentAttemptAt: after(failedAt, 2 * DAY) });
    await runBilling(deps(unpaidSettings), after(failedAt, 2 * DAY));
    expect(await runChargeJobs(after(failedAt, 2 * DAY), unpaidSettings)).toMatchObject([{ attempt: 2, outcome: 'failed' }]);
    expect(await invoiceOf(sub.id)).toMatchObject({ status: 'uncollectible', nextPaymentAttemptAt: null });
    expect(await subscription(sub.id)).toMatchObject({ status: 'unpaid' });
    expect(await sso(user.id, after(failedAt, 3 * DAY))).toMatchObject({ allowed: false, reason: 'unpaid' });
    expect((await emails(customer.email)).at(-1)).toBe('dunning_exhausted');

    // Weeks later, past the period's end, the customer adds a card in the portal: it becomes the default and is charged at once.
    const back = after(failedAt, 40 * DAY);
    expect((await runBilling(deps(unpaidSettings), back)).invoiced).toBe(0);
    const started = await startCardUpdate({ db: db(), gateways: env.gateways }, user.id);
    await env.gateways.stripe.setupIntents.confirm(started.setupIntentId, { payment_method: 'pm_card_visa' });
    expect(await completeCardUpdate({ db: db(), gateways: env.gateways, boss: env.t.boss }, user.id, started.setupIntentId)).toEqual({ status: 'saved', retriedInvoices: 1 });
    const methods = await db().select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id));
    const added = methods.find((m) => m.isDefault)!;
    expect(methods.filter((m) => m.isDefault)).toHaveLength(1);
    expect(await runChargeJobs(back, unpaidSettings)).toMatchObject([{ paymentMethodId: added.id, outcome: 'paid' }]);
    const paid = await invoiceOf(sub.id);
    expect(paid).toMatchObject({ status: 'paid', amountPaid: paid.amountDue });
    // It was unpaid past its period's end: a fresh period starts now instead of billing the suspended time.
    expect(await subscription(sub.id)).toMatchObject({ status: 'active', pastDueSince: null, currentPeriodEnd: back, billingCycleAnchor: back });
    expect(await sso(user.id, back)).toMatchObject({ allowed: true, reason: 'active' });
    expect((await runBilling(deps(unpaidSettings), back)).invoiced).toBe(1);
    const [, next] = await db().select().from(invoices).where(eq(invoices.subscriptionId, sub.id)).orderBy(asc(invoices.createdAt));
    expect(next).toMatchObject({ periodStart: back });
    await env.t.boss.deleteQueuedJobs(QUEUES.chargeInvoice);
    expect((await emails(customer.email)).slice(-2)).toEqual(['invoice_paid', 'invoice_finalized']);

    // The webhook for the same setup arriving afterwards charges nothing more.
    expect(await deliverStripe('setup_intent.succeeded', { id: started.setupIntentId, object: 'setup_intent' })).toMatch(/made default, 0 failed invoice\(s\) retried$/);
    expect(await runChargeJobs(back, unpaidSettings)).toEqual([]);
    expect((await db().select().from(payments).where(and(eq(payments.customerId, customer.id), eq(payments.status, 'succeeded')))).length).toBe(1);
  });

  it('with no retries configured, the first failure gives up at once and cancels', async () => {
    const noRetries = { ...testBillingSettings, retryDays: [] };
    const { sub, customer } = await decliningTeamTrial(new Date('2027-05-02T08:00:00Z'));
    await runBilling(deps(noRetries), sub.currentPeriodEnd);
    expect(await runChargeJobs(sub.currentPeriodEnd, noRetries)).toMatchObject([{ attempt: 1, outcome: 'failed' }]);
    expect(await invoiceOf(sub.id)).toMatchObject({ status: 'uncollectible', nextPaymentAttemptAt: null });
    expect(await subscription(sub.id)).toMatchObject({ status: 'canceled' });
    expect((await emails(customer.email)).at(-1)).toBe('dunning_exhausted');
  });

  it('one charge of an invoice at a time, and a retry whose job never ran is queued again an hour later', async () => {
    const { user, sub, customer } = await decliningTeamTrial(new Date('2027-06-03T08:00:00Z'));
    const failedAt = sub.currentPeriodEnd;
    await runBilling(deps(), failedAt);
    await runChargeJobs(failedAt);
    const retryAt = after(failedAt, 3 * DAY);
    expect((await runBilling(deps(), retryAt)).retries).toBe(1);
    // The worker died with the job: nothing is recorded; an hour later the same attempt is queued again.
    await env.t.boss.deleteQueuedJobs(QUEUES.chargeInvoice);
    expect((await runBilling(deps(), after(retryAt, 60 * 60_000 - 1))).retries).toBe(0);
    expect((await runBilling(deps(), after(retryAt, 60 * 60_000))).retries).toBe(1);

    // Meanwhile the customer adds a card: the scheduled retry and the card's retry meet in one batch; one charges.
    await cardStartsWorking(customer.id);
    const started = await startCardUpdate({ db: db(), gateways: env.gateways }, user.id);
    await env.gateways.stripe.setupIntents.confirm(started.setupIntentId, { payment_method: 'pm_card_visa' });
    await completeCardUpdate({ db: db(), gateways: env.gateways, boss: env.t.boss }, user.id, started.setupIntentId);
    const outcomes = await runChargeJobs(after(retryAt, 60 * 60_000));
    expect(outcomes).toHaveLength(2);
    expect(outcomes.filter((o) => o.outcome === 'paid')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome.startsWith('error: Error: invoice') && o.outcome.includes('is being charged by another job'))).toHaveLength(1);
    const invoice = await invoiceOf(sub.id);
    expect(invoice).toMatchObject({ status: 'paid', chargeClaimedUntil: null });
    expect(await db().select().from(payments).where(and(eq(payments.customerId, customer.id), eq(payments.status, 'succeeded')))).toHaveLength(1);
  });

  it("refuses another customer's card setup, and an unknown one", async () => {
    const { user } = await decliningTeamTrial(new Date('2027-04-01T08:00:00Z'));
    const other = await createUser(db());
    const started = await startCardUpdate({ db: db(), gateways: env.gateways }, user.id);
    await ensureCustomer(db(), other.id);
    const full = { db: db(), gateways: env.gateways, boss: env.t.boss };
    await expect(completeCardUpdate(full, other.id, started.setupIntentId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(completeCardUpdate(full, user.id, 'seti_doesnotexist')).rejects.toMatchObject({ code: 'not_found' });
    await expect(completeCardUpdate(full, user.id, '../etc')).rejects.toMatchObject({ code: 'not_found' });
    await expect(completeCardUpdate(full, user.id, started.setupIntentId)).rejects.toMatchObject({ code: 'not_completed' });
  });
});
