/**
 * Coupons end to end: created by an admin, redeemed at checkout (with the provider sandbox), carried
 * on the subscription and put on its renewal invoices for as long as the coupon's duration says;
 * applied by an admin; and every refusal (expired, over a limit, wrong plan, not first-time) leaving
 * nothing counted.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, checkouts, couponRedemptions, invoiceLines, invoices, payments, products, subscriptions, type Invoice } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { ensureCustomer } from '@/lib/checkout/customer';
import { CheckoutRequestError } from '@/lib/checkout/errors';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { previewCheckout } from '@/lib/checkout/preview';
import { startCheckout } from '@/lib/checkout/start';
import { creditBalance } from '@/lib/invoices/balance';
import { runBilling, type BillingDeps } from '@/lib/invoices/billing-run';
import { changeSubscription } from '@/lib/subscriptions/manage';
import { QUEUES } from '@/lib/jobs/queue';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { testCoupon } from '@/test/coupons';
import { testBillingSettings } from '@/test/settings';
import { applyCouponToSubscription, CouponError, createCoupon, listCoupons, setCouponActive, type NewCoupon } from './index';

const ADMIN = 'admin-user';
const DAY = 86_400_000;

describe(`coupons (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  // New York sales tax (4%) is collected, so every test also checks that tax is on the discounted amount.
  const checkoutDeps = () => ({ ...checkoutDepsOf(env), tax: { country: 'US', registrations: ['US-NY'] } });
  const billingDeps = (): BillingDeps => ({ db: db(), boss: env.t.boss, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: ['US-NY'] }, settings: testBillingSettings });

  // A test's billing runs must not renew another test's subscriptions.
  const testSubscriptions: string[] = [];
  afterEach(async () => {
    for (const id of testSubscriptions.splice(0)) await db().update(subscriptions).set({ status: 'canceled', endedAt: new Date(0) }).where(eq(subscriptions.id, id));
    await env.t.boss.deleteQueuedJobs(QUEUES.chargeInvoice);
  });

  const coupon = (extra: Partial<NewCoupon> = {}) => {
    const { id: _id, ...definition } = testCoupon();
    return createCoupon(db(), { ...definition, code: `save-${randomUUID().slice(0, 8)}`, redeemBy: null, productIds: null, ...extra }, ADMIN);
  };

  /** Checks out `lookupKey` with the code and a working card, as the browser would; returns the subscription. */
  async function subscribe(code: string | null, at: Date, lookupKey = 'starter_month_usd', user?: { id: string }, quantity = 1) {
    const buyer = user ?? (await createUser(db()));
    const started = await startCheckout(checkoutDeps(), { userId: buyer.id, priceId: await priceIdOf(db(), lookupKey), quantity, provider: 'stripe', couponCode: code }, at);
    const checkout = await checkoutOfUser(db(), buyer.id, started.checkoutId);
    if (checkout.kind === 'payment') await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    else await env.gateways.stripe.setupIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDeps(), checkout.id, at, { type: 'user', id: buyer.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    if (sub) testSubscriptions.push(sub.id);
    return { user: buyer, sub, started, checkout: (await db().select().from(checkouts).where(eq(checkouts.id, checkout.id)))[0] };
  }

  /** Runs billing at each period end in turn; returns each renewal invoice with its discount line. */
  async function renew(subscriptionId: string, times: number) {
    const renewed: Array<Invoice & { discountLine: string | null }> = [];
    for (let i = 0; i < times; i++) {
      const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
      await runBilling(billingDeps(), sub.currentPeriodEnd);
      const [invoice] = await db().select().from(invoices).where(and(eq(invoices.subscriptionId, subscriptionId), eq(invoices.periodStart, sub.currentPeriodEnd)));
      const [line] = await db().select().from(invoiceLines).where(and(eq(invoiceLines.invoiceId, invoice.id), eq(invoiceLines.kind, 'discount')));
      renewed.push({ ...invoice, discountLine: line ? `${line.description}: ${line.amount}` : null });
    }
    return renewed;
  }

  const redemptionsOf = async (couponId: string) => db().select().from(couponRedemptions).where(eq(couponRedemptions.couponId, couponId));
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error) => error);

  it('once: the checkout is discounted and taxed on the discounted amount; the first renewal is full price', async () => {
    const once = await coupon();
    const { sub, checkout, started } = await subscribe(once.code.toLowerCase(), new Date('2027-01-05T10:00:00Z'));
    // Starter is $9.00: 20% off is $1.80, and New York's 4% is on $7.20.
    expect(checkout).toMatchObject({ couponId: once.id, subtotal: 900, discount: 180, tax: 29, total: 749, amountDueToday: 749, nextChargeAmount: 936 });
    expect(started.amountDueToday).toBe(749);
    const [payment] = await db().select().from(payments).where(eq(payments.id, checkout.paymentId!));
    expect(payment).toMatchObject({ amount: 749, status: 'succeeded' });
    expect(await redemptionsOf(once.id)).toMatchObject([{ checkoutId: checkout.id, subscriptionId: sub.id, redeemedBy: 'checkout' }]);
    // Used up at checkout: the subscription carries no coupon.
    expect(sub).toMatchObject({ couponId: null, couponInvoices: 1 });
    const [first] = await renew(sub.id, 1);
    expect(first).toMatchObject({ subtotal: 900, discountTotal: 0, taxTotal: 36, total: 936, discountLine: null });
  });

  it('repeating for 3 periods: the checkout and the next two renewals are discounted, the third is not', async () => {
    const repeating = await coupon({ duration: 'repeating', durationInPeriods: 3, discount: { kind: 'percent', percentOff: '12.5' } });
    const { sub, checkout } = await subscribe(repeating.code, new Date('2027-01-31T10:00:00Z'));
    expect(checkout).toMatchObject({ discount: 112, total: 820, nextChargeAmount: 820 });
    expect(sub).toMatchObject({ couponId: repeating.id, couponInvoices: 1 });
    const renewals = await renew(sub.id, 3);
    expect(renewals.map((invoice) => [invoice.discountTotal, invoice.taxTotal, invoice.total, invoice.discountLine])).toEqual([
      [112, 32, 820, 'Launch offer (12.5% off): 112'],
      [112, 32, 820, 'Launch offer (12.5% off): 112'],
      [0, 36, 936, null],
    ]);
    // 900 × 12.5% = 112.5 rounds half to even; the tax is 4% of 788 = 31.52.
    expect(await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id))).toMatchObject([{ couponId: null, couponInvoices: 3 }]);
  });

  it('forever, a fixed amount per currency: every invoice is discounted, capped at what it covers', async () => {
    const forever = await coupon({ duration: 'forever', discount: { kind: 'fixed', amountsOff: { USD: 500, EUR: 400 } } });
    const { sub, checkout } = await subscribe(forever.code, new Date('2027-02-10T10:00:00Z'));
    expect(checkout).toMatchObject({ discount: 500, tax: 16, total: 416, nextChargeAmount: 416 });
    const renewals = await renew(sub.id, 3);
    expect(renewals.map((invoice) => invoice.total)).toEqual([416, 416, 416]);
    expect(renewals[0].discountLine).toBe('Launch offer ($5.00 off): 500');
    expect(await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id))).toMatchObject([{ couponId: forever.id, couponInvoices: 4 }]);
  });

  it('a trial: nothing today; the first invoice at the trial end is the discounted one', async () => {
    const once = await coupon({ discount: { kind: 'percent', percentOff: '50' } });
    const { sub, checkout } = await subscribe(once.code, new Date('2027-03-01T10:00:00Z'), 'pro_month_usd');
    expect(checkout).toMatchObject({ kind: 'setup', amountDueToday: 0, discount: 1450, total: 1508, nextChargeAmount: 1508 });
    expect(sub).toMatchObject({ status: 'trialing', couponId: once.id, couponInvoices: 0 });
    const [first, second] = await renew(sub.id, 2);
    expect(first).toMatchObject({ discountTotal: 1450, total: 1508 });
    expect(second).toMatchObject({ discountTotal: 0, total: 3016 });
  });

  it('a first period made free saves the card without a charge and starts an active subscription (not a trial); PayPal is refused', async () => {
    const free = await coupon({ discount: { kind: 'percent', percentOff: '100' } });
    const user = await createUser(db());
    const viaPaypal = await refusal(startCheckout(checkoutDeps(), { userId: user.id, priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1, provider: 'paypal', couponCode: free.code }, new Date('2027-04-01T00:00:00Z')));
    expect(viaPaypal).toMatchObject({ status: 400, code: 'provider_unavailable' });
    const { sub, checkout } = await subscribe(free.code, new Date('2027-04-01T00:00:00Z'), 'starter_month_usd', user);
    expect(checkout).toMatchObject({ kind: 'setup', amountDueToday: 0, total: 0, nextChargeAmount: 936 });
    expect(sub).toMatchObject({ status: 'active', trialEnd: null, couponId: null, couponInvoices: 1 });
    const [first] = await renew(sub.id, 1);
    expect(first.total).toBe(936);
  });

  it('refuses an expired, inactive, unknown or malformed code, one for another plan or currency, and counts nothing', async () => {
    const at = new Date('2027-05-01T00:00:00Z');
    const [pro] = await db().select().from(products).where(eq(products.slug, 'pro'));
    const cases: Array<[string, string, RegExp]> = [
      ['expired', (await coupon({ redeemBy: new Date(at.getTime() - 1) })).code, /expired on 2027-04-30/],
      ['inactive', await coupon().then(async (c) => (await setCouponActive(db(), c.id, false, ADMIN), c.code)), /no longer active/],
      ['unknown', 'NO-SUCH-CODE', /There is no code NO-SUCH-CODE/],
      ['malformed', 'ab', /3 to 40 letters/],
      ['another plan', (await coupon({ productIds: [pro.id] })).code, /not valid for the Starter plan/],
      ['another currency', (await coupon({ discount: { kind: 'fixed', amountsOff: { EUR: 100 } } })).code, /cannot be used in USD/],
    ];
    for (const [what, code, message] of cases) {
      const user = await createUser(db());
      const error = await refusal(startCheckout(checkoutDeps(), { userId: user.id, priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1, provider: 'stripe', couponCode: code }, at));
      expect(error, what).toBeInstanceOf(CheckoutRequestError);
      expect(error, what).toMatchObject({ status: 400, code: 'coupon_refused', message: expect.stringMatching(message) });
      const customer = await ensureCustomer(db(), user.id);
      expect(await db().select().from(checkouts).where(eq(checkouts.customerId, customer.id)), what).toHaveLength(0);
      // The checkout page shows the same reason, with the order quoted without the code.
      const preview = await previewCheckout(checkoutDeps(), { userId: user.id, priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1, couponCode: code }, at);
      expect(preview.coupon?.error, what).toMatch(message);
      expect(preview.quote).toMatchObject({ discount: null, dueToday: { amount: 936 } });
    }
  });

  it('limits: the total and per customer, with open checkouts holding redemptions; first-time customers only', async () => {
    const at = new Date('2027-06-01T00:00:00Z');
    const minutes = (n: number) => new Date(at.getTime() + n * 60_000);
    const begin = async (userId: string, lookupKey: string, code: string, when: Date, provider: 'stripe' | 'paypal' = 'stripe') =>
      startCheckout(checkoutDeps(), { userId, priceId: await priceIdOf(db(), lookupKey), quantity: 1, provider, couponCode: code }, when);
    const single = await coupon({ maxRedemptions: 1 });
    const first = await createUser(db());
    const second = await createUser(db());
    // The first customer's checkout is open (not paid yet): it holds the only redemption.
    await begin(first.id, 'starter_month_usd', single.code, at);
    expect(await refusal(begin(second.id, 'starter_month_usd', single.code, at))).toMatchObject({ code: 'coupon_refused', message: 'This code has reached its redemption limit.' });
    // Their own card and PayPal tabs of the same checkout are one purchase; resuming renews the hold.
    await begin(first.id, 'starter_month_usd', single.code, minutes(50), 'paypal');
    await begin(first.id, 'starter_month_usd', single.code, minutes(50));
    expect(await refusal(begin(second.id, 'starter_month_usd', single.code, minutes(100)))).toMatchObject({ message: 'This code has reached its redemption limit.' });
    // An abandoned hold lapses an hour after it was last touched.
    await subscribe(single.code, minutes(111), 'starter_month_usd', second);
    expect(await redemptionsOf(single.id)).toHaveLength(1);
    expect(await refusal(begin((await createUser(db())).id, 'starter_month_usd', single.code, minutes(111)))).toMatchObject({ message: 'This code has reached its redemption limit.' });
    // The first customer pays the attempt left open past its hold: it paid the discounted price, so it is recorded, and flagged.
    const [late] = await db().select().from(checkouts).where(and(eq(checkouts.couponId, single.id), eq(checkouts.status, 'open'), eq(checkouts.provider, 'stripe')));
    await env.gateways.stripe.paymentIntents.confirm(late.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDeps(), late.id, minutes(120), { type: 'user', id: first.id });
    expect(await redemptionsOf(single.id)).toHaveLength(2);
    const flagged = await db().select().from(auditLog).where(and(eq(auditLog.entityId, single.id), eq(auditLog.action, 'coupon.redeemed_over_limit')));
    expect(flagged).toMatchObject([{ after: { checkoutId: late.id, redemptionsBefore: 1 } }]);
    testSubscriptions.push(...(await db().select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.checkoutId, late.id))).map((row) => row.id));

    // For everyone else, one customer's tabs are one hold; their monthly and yearly attempts at one plan are one purchase.
    const two = await coupon({ maxRedemptions: 2, maxRedemptionsPerCustomer: 1 });
    const tabs = await createUser(db());
    await begin(tabs.id, 'starter_month_usd', two.code, at);
    await begin(tabs.id, 'starter_month_usd', two.code, at, 'paypal');
    await begin(tabs.id, 'starter_year_usd', two.code, at);
    await begin((await createUser(db())).id, 'starter_month_usd', two.code, at);
    expect(await refusal(begin((await createUser(db())).id, 'starter_month_usd', two.code, at))).toMatchObject({ message: 'This code has reached its redemption limit.' });

    // Once per customer: another purchase of theirs, open or paid, uses it up.
    const oncePerCustomer = await coupon({ maxRedemptionsPerCustomer: 1 });
    const buyer = await createUser(db());
    await begin(buyer.id, 'onboarding_usd', oncePerCustomer.code, at);
    expect(await refusal(begin(buyer.id, 'starter_month_usd', oncePerCustomer.code, at))).toMatchObject({ code: 'coupon_refused', message: 'You have already used this code.' });
    const other = await createUser(db());
    await subscribe(oncePerCustomer.code, at, 'starter_month_usd', other);
    expect(await refusal(begin(other.id, 'onboarding_usd', oncePerCustomer.code, at))).toMatchObject({ message: 'You have already used this code.' });

    const newcomers = await coupon({ firstTimeOnly: true });
    expect(await refusal(begin(other.id, 'onboarding_usd', newcomers.code, at))).toMatchObject({ code: 'coupon_refused', message: 'This code is for first-time customers only.' });
    expect(await redemptionsOf(newcomers.id)).toHaveLength(0);
  });

  it('a one-time purchase is discounted once; a code that would make it free is refused', async () => {
    const at = new Date('2027-07-01T00:00:00Z');
    const tenOff = await coupon({ discount: { kind: 'fixed', amountsOff: { USD: 1000 } } });
    const user = await createUser(db());
    const started = await startCheckout(checkoutDeps(), { userId: user.id, priceId: await priceIdOf(db(), 'onboarding_usd'), quantity: 1, provider: 'stripe', couponCode: tenOff.code }, at);
    expect(started).toMatchObject({ amountDueToday: 50856, total: 50856, nextChargeAt: null });
    const free = await coupon({ discount: { kind: 'percent', percentOff: '100' } });
    const error = await refusal(startCheckout(checkoutDeps(), { userId: user.id, priceId: await priceIdOf(db(), 'onboarding_usd'), quantity: 1, provider: 'stripe', couponCode: free.code }, at));
    expect(error).toMatchObject({ status: 400, code: 'coupon_not_applicable' });
  });

  it('an admin applies a coupon to a subscription: its next renewals are discounted; a second coupon is refused', async () => {
    const { sub } = await subscribe(null, new Date('2027-08-03T00:00:00Z'));
    const twice = await coupon({ duration: 'repeating', durationInPeriods: 2, discount: { kind: 'percent', percentOff: '50' } });
    const applied = await applyCouponToSubscription(db(), { subscriptionId: sub.id, code: twice.code, actorId: ADMIN }, new Date('2027-08-10T00:00:00Z'));
    expect(applied.id).toBe(twice.id);
    expect(await redemptionsOf(twice.id)).toMatchObject([{ subscriptionId: sub.id, checkoutId: null, redeemedBy: ADMIN }]);
    const other = await coupon();
    const second = await refusal(applyCouponToSubscription(db(), { subscriptionId: sub.id, code: other.code, actorId: ADMIN }, new Date('2027-08-10T00:00:00Z')));
    expect(second).toBeInstanceOf(CouponError);
    expect(second).toMatchObject({ code: 'already_applied' });
    const renewals = await renew(sub.id, 3);
    expect(renewals.map((invoice) => invoice.total)).toEqual([468, 468, 936]);
    // Once run out, the same coupon cannot be applied to this subscription again.
    expect(await refusal(applyCouponToSubscription(db(), { subscriptionId: sub.id, code: twice.code, actorId: ADMIN }, new Date('2027-11-10T00:00:00Z')))).toMatchObject({ code: 'already_applied' });
    const expired = await coupon({ redeemBy: new Date('2027-01-01T00:00:00Z') });
    expect(await refusal(applyCouponToSubscription(db(), { subscriptionId: sub.id, code: expired.code, actorId: ADMIN }, new Date('2027-11-10T00:00:00Z')))).toMatchObject({ code: 'expired' });
  });

  it('an admin cannot create a coupon with a taken code or impossible terms, and the list counts redemptions', async () => {
    const made = await coupon({ maxRedemptions: 5 });
    expect(await refusal(coupon({ code: made.code.toLowerCase() }))).toMatchObject({ code: 'code_taken' });
    expect(await refusal(coupon({ discount: { kind: 'percent', percentOff: '120' } }))).toMatchObject({ code: 'invalid_coupon', message: expect.stringMatching(/at most 100/) });
    expect(await refusal(coupon({ duration: 'repeating' }))).toMatchObject({ code: 'invalid_coupon', message: expect.stringMatching(/durationInPeriods/) });
    expect(await refusal(coupon({ productIds: [randomUUID()] }))).toMatchObject({ code: 'invalid_coupon' });
    expect(await refusal(coupon({ code: 'has space' }))).toMatchObject({ code: 'invalid_coupon' });
    await subscribe(made.code, new Date('2027-09-01T00:00:00Z'));
    const listed = (await listCoupons(db())).find((row) => row.coupon.id === made.id);
    expect(listed).toMatchObject({ redemptions: 1 });
  });

  it('a plan change mid-period is not discounted and keeps the coupon; an interval change is discounted like a renewal and counted', async () => {
    const repeating = await coupon({ duration: 'repeating', durationInPeriods: 3, discount: { kind: 'percent', percentOff: '10' } });
    const bought = new Date('2027-10-01T00:00:00Z');
    const { sub, user } = await subscribe(repeating.code, bought);
    const manage = { db: db(), boss: env.t.boss, tax: { country: 'US', registrations: ['US-NY'] }, settings: testBillingSettings, downgradePolicy: 'at_period_end' as const };
    const linesOf = async (invoiceId: string) => db().select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));

    // Mid-period to Team: the credit for unused Starter time is at its full price (what was paid plus the unused
    // part of the discount), the Team charge is full, and the coupon stays for the renewals.
    const upgrade = await changeSubscription(manage, user.id, sub.id, { priceId: await priceIdOf(db(), 'team_month_usd'), quantity: 1 }, new Date(bought.getTime() + 15 * DAY));
    const [upgradeInvoice] = await db().select().from(invoices).where(eq(invoices.id, upgrade.invoiceId!));
    expect(upgradeInvoice.discountTotal).toBe(0);
    expect((await linesOf(upgradeInvoice.id)).map((l) => l.kind)).toEqual(['proration', 'proration', 'tax']);
    expect(await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id))).toMatchObject([{ couponId: repeating.id, couponInvoices: 1 }]);

    // Monthly to yearly: a whole new period is charged now, and the coupon discounts that charge, not the credit.
    const yearly = await changeSubscription(manage, user.id, sub.id, { priceId: await priceIdOf(db(), 'team_year_usd'), quantity: 1 }, new Date(bought.getTime() + 20 * DAY));
    const [yearInvoice] = await db().select().from(invoices).where(eq(invoices.id, yearly.invoiceId!));
    const lines = await linesOf(yearInvoice.id);
    expect(lines.find((l) => l.kind === 'discount')).toMatchObject({ description: 'Launch offer (10% off)', amount: 1200 });
    expect(yearInvoice.subtotal).toBe(lines.filter((l) => l.kind === 'proration' || l.kind === 'subscription').reduce((total, l) => total + l.amount, 0));
    expect(yearInvoice).toMatchObject({ discountTotal: 1200, taxTotal: Math.round((yearInvoice.subtotal - 1200) * 0.04) });
    expect(await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id))).toMatchObject([{ couponId: repeating.id, couponInvoices: 2 }]);
  });

  it('an unused discount never becomes credit: a free period changed to yearly, or downgraded at once, credits only what was paid', async () => {
    const bought = new Date('2027-11-01T00:00:00Z');
    const manage = (downgradePolicy: 'at_period_end' | 'immediate_credit') => ({ db: db(), boss: env.t.boss, tax: { country: 'US', registrations: ['US-NY'] }, settings: testBillingSettings, downgradePolicy });
    const balance = async (userId: string) => creditBalance(db(), (await ensureCustomer(db(), userId)).id, 'USD');

    // 100% off for three months: the first month cost nothing, so switching to yearly on day 1 credits nothing.
    const free = await coupon({ duration: 'repeating', durationInPeriods: 3, discount: { kind: 'percent', percentOff: '100' } });
    const first = await subscribe(free.code, bought);
    expect(first.sub).toMatchObject({ periodDiscount: 900 });
    const yearly = await changeSubscription(manage('at_period_end'), first.user.id, first.sub.id, { priceId: await priceIdOf(db(), 'starter_year_usd'), quantity: 1 }, new Date(bought.getTime() + DAY));
    const [yearInvoice] = await db().select().from(invoices).where(eq(invoices.id, yearly.invoiceId!));
    expect(yearInvoice).toMatchObject({ discountTotal: 9000, total: 0 });
    expect(await balance(first.user.id)).toBe(0);
    expect(await db().select().from(subscriptions).where(eq(subscriptions.id, first.sub.id))).toMatchObject([{ periodDiscount: 9000, couponInvoices: 2 }]);

    // Team, 2 seats, free forever: the first invoice at the trial's end costs nothing. Down to 1 seat halfway, at once:
    // the $12 credit for the unused seat-half is cut to the $6 the new half costs, so nothing is credited.
    const always = await coupon({ duration: 'forever', discount: { kind: 'percent', percentOff: '100' } });
    const second = await subscribe(always.code, bought, 'team_month_usd', undefined, 2);
    const [first2] = await renew(second.sub.id, 1);
    expect(first2).toMatchObject({ discountTotal: 2400, total: 0 });
    const [team] = await db().select().from(subscriptions).where(eq(subscriptions.id, second.sub.id));
    expect(team).toMatchObject({ status: 'active', periodDiscount: 2400 });
    const halfway = new Date((team.currentPeriodStart.getTime() + team.currentPeriodEnd.getTime()) / 2);
    const down = await changeSubscription(manage('immediate_credit'), second.user.id, second.sub.id, { priceId: await priceIdOf(db(), 'team_month_usd'), quantity: 1 }, halfway);
    const lines = await db().select().from(invoiceLines).where(eq(invoiceLines.invoiceId, down.invoiceId!)).orderBy(asc(invoiceLines.position));
    expect(lines.map((l) => [l.kind, l.amount])).toEqual([['proration', -600], ['proration', 600]]);
    expect(lines[0].description).toMatch(/less the unused discount$/);
    expect(await balance(second.user.id)).toBe(0);
    // The rest of the period was paid by $6 of the discount: a second change today credits from that, not from the full price.
    const [after] = await db().select().from(subscriptions).where(eq(subscriptions.id, second.sub.id));
    expect(Math.abs(after.periodDiscount - 1200)).toBeLessThanOrEqual(1);
    const again = await changeSubscription(manage('immediate_credit'), second.user.id, second.sub.id, { priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1 }, halfway);
    expect(await db().select().from(invoices).where(eq(invoices.id, again.invoiceId!))).toMatchObject([{ total: 0 }]);
    expect(await balance(second.user.id)).toBe(0);
  });
});
