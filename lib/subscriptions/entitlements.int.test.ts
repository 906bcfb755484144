/**
 * The entitlement service on stored subscriptions: each status, the past-due grace period from
 * `past_due_since`, features outside the plan, several subscriptions at once, and a subscription
 * that became past due the real way (a declined renewal in the billing run).
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoices, prices, products, subscriptions, users, type Subscription } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { ensureCustomer } from '@/lib/checkout/customer';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { runBilling } from '@/lib/invoices/billing-run';
import { chargeInvoice } from '@/lib/invoices/charge';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { featureAccess } from './entitlements';
import { testBillingSettings } from '@/test/settings';

const DAY = 86_400_000;
const week = { pastDueGraceDays: 7 };
const failedAt = new Date('2027-03-10T12:00:00Z');
const after = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe(`feature access from stored subscriptions (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  const db = () => env.t.handle.db;
  beforeAll(async () => {
    await seedCheckoutCatalog(db());
    // An add-on that also grants SSO, so two subscriptions can grant the same feature.
    const [addOn] = await db().insert(products).values({ slug: 'sso-addon', name: 'SSO add-on', kind: 'add_on', features: ['SSO'] }).returning();
    await db().insert(prices).values({ productId: addOn.id, lookupKey: 'sso_addon_month_usd', type: 'recurring', currency: 'USD', unitAmount: 500, interval: 'month', intervalCount: 1 });
  });

  /** A customer with subscriptions stored as given (slug of the product, then the row's state). */
  async function customerWith(...subs: Array<[slug: string, state: Partial<Subscription>]>) {
    const user = await createUser(db());
    const customer = await ensureCustomer(db(), user.id);
    const rows: Subscription[] = [];
    for (const [slug, state] of subs) {
      const priceId = await priceIdOf(db(), `${slug.replace('-', '_')}_month_usd`);
      const [{ productId }] = await db().select({ productId: prices.productId }).from(prices).where(eq(prices.id, priceId));
      const start = new Date('2027-03-01T00:00:00Z');
      const [row] = await db()
        .insert(subscriptions)
        .values({ customerId: customer.id, productId, priceId, quantity: 1, status: 'active', provider: 'stripe', currentPeriodStart: start, currentPeriodEnd: new Date('2027-04-01T00:00:00Z'), billingCycleAnchor: start, ...state })
        .returning();
      rows.push(row);
    }
    return { user, customer, subs: rows };
  }
  const ask = (userId: string, feature: string, now: Date, settings = week) => featureAccess(db(), { userId }, feature, now, settings);

  it.each([
    ['trialing', true, 'trialing'],
    ['active', true, 'active'],
    ['paused', false, 'paused'],
    ['unpaid', false, 'unpaid'],
    ['canceled', false, 'canceled'],
  ] as const)('a %s subscription → allowed=%s (%s), naming the subscription', async (status, allowed, reason) => {
    const { user, subs } = await customerWith(['team', { status, endedAt: status === 'canceled' ? failedAt : null }]);
    expect(await ask(user.id, 'SSO', failedAt)).toEqual({ feature: 'SSO', allowed, reason, subscriptionId: subs[0].id, productName: 'Team', pastDueSince: null, graceEndsAt: null });
  });

  it('past due: allowed within the grace period counted from past_due_since, restricted from its end', async () => {
    const { user, subs } = await customerWith(['team', { status: 'past_due', pastDueSince: failedAt }]);
    const graceEndsAt = failedAt.getTime() + 7 * DAY;
    expect(await ask(user.id, 'SSO', after(failedAt, 7 * DAY - 1))).toEqual({ feature: 'SSO', allowed: true, reason: 'past_due_within_grace', subscriptionId: subs[0].id, productName: 'Team', pastDueSince: failedAt.getTime(), graceEndsAt });
    expect(await ask(user.id, 'SSO', after(failedAt, 7 * DAY))).toMatchObject({ allowed: false, reason: 'past_due_grace_expired', graceEndsAt });
    // The setting decides: no grace restricts at once, 30 days keeps access on day 29.
    expect(await ask(user.id, 'SSO', failedAt, { pastDueGraceDays: 0 })).toMatchObject({ allowed: false, reason: 'past_due_grace_expired' });
    expect(await ask(user.id, 'SSO', after(failedAt, 29 * DAY), { pastDueGraceDays: 30 })).toMatchObject({ allowed: true, graceEndsAt: failedAt.getTime() + 30 * DAY });
  });

  it('no subscription, and no customer record at all', async () => {
    const { user } = await customerWith();
    expect(await ask(user.id, 'SSO', failedAt)).toEqual({ feature: 'SSO', allowed: false, reason: 'no_subscription', subscriptionId: null, productName: null, pastDueSince: null, graceEndsAt: null });
    const [bare] = await db().insert(users).values({ email: `bare-${Date.now()}@example.com` }).returning();
    expect(await ask(bare.id, 'SSO', failedAt)).toMatchObject({ allowed: false, reason: 'no_subscription' });
  });

  it('a feature the plan does not include, even while active; features match exactly', async () => {
    const { user, subs } = await customerWith(['starter', {}]);
    expect(await ask(user.id, 'SSO', failedAt)).toMatchObject({ allowed: false, reason: 'feature_not_in_plan', subscriptionId: subs[0].id });
    expect(await ask(user.id, 'Email support', failedAt)).toMatchObject({ allowed: true, reason: 'active' });
    expect(await ask(user.id, 'email support', failedAt)).toMatchObject({ allowed: false, reason: 'feature_not_in_plan' });
  });

  it('asks by customer id as by user id', async () => {
    const { user, customer, subs } = await customerWith(['pro', { status: 'trialing' }]);
    const byCustomer = await featureAccess(db(), { customerId: customer.id }, 'Priority support', failedAt, week);
    expect(byCustomer).toEqual(await ask(user.id, 'Priority support', failedAt));
    expect(byCustomer).toMatchObject({ allowed: true, reason: 'trialing', subscriptionId: subs[0].id });
    expect(await featureAccess(db(), { customerId: 'not-a-uuid' }, 'Priority support', failedAt, week)).toMatchObject({ allowed: false, reason: 'no_subscription' });
  });

  it('two subscriptions: either granting wins and is named; a full grant is preferred to a grace period', async () => {
    const { user, subs } = await customerWith(['starter', {}], ['team', { status: 'active' }]);
    expect(await ask(user.id, 'SSO', failedAt)).toMatchObject({ allowed: true, reason: 'active', subscriptionId: subs[1].id, productName: 'Team' });
    expect(await ask(user.id, 'Email support', failedAt)).toMatchObject({ allowed: true, reason: 'active', subscriptionId: subs[0].id, productName: 'Starter' });

    const graced = await customerWith(['team', { status: 'past_due', pastDueSince: failedAt }], ['sso-addon', { status: 'active' }]);
    expect(await ask(graced.user.id, 'SSO', after(failedAt, DAY))).toMatchObject({ allowed: true, reason: 'active', subscriptionId: graced.subs[1].id, productName: 'SSO add-on' });
    // Only the past-due one includes this feature: its grace period is the answer.
    expect(await ask(graced.user.id, 'Roles and permissions', after(failedAt, DAY))).toMatchObject({ allowed: true, reason: 'past_due_within_grace', subscriptionId: graced.subs[0].id });
  });

  it('two subscriptions, neither granting: the refusal the customer can act on', async () => {
    // Team has SSO but its grace period is over: paying restores it, so that is the answer, not "not in Starter".
    const lapsed = await customerWith(['starter', {}], ['team', { status: 'past_due', pastDueSince: failedAt }]);
    expect(await ask(lapsed.user.id, 'SSO', after(failedAt, 8 * DAY))).toMatchObject({ allowed: false, reason: 'past_due_grace_expired', subscriptionId: lapsed.subs[1].id, graceEndsAt: failedAt.getTime() + 7 * DAY });

    const paused = await customerWith(['team', { status: 'paused' }], ['starter', {}]);
    expect(await ask(paused.user.id, 'SSO', failedAt)).toMatchObject({ allowed: false, reason: 'paused', subscriptionId: paused.subs[0].id });

    // A paused Starter would not grant SSO anyway: the active Pro's "not in your plan" speaks.
    const neither = await customerWith(['starter', { status: 'paused' }], ['pro', {}]);
    expect(await ask(neither.user.id, 'SSO', failedAt)).toMatchObject({ allowed: false, reason: 'feature_not_in_plan', subscriptionId: neither.subs[1].id });
  });

  it('a subscription set to end keeps access until its period ends, and loses it then, before the billing run', async () => {
    const { user } = await customerWith(['team', { cancelAtPeriodEnd: true, canceledAt: failedAt }]);
    expect(await ask(user.id, 'SSO', new Date('2027-03-31T23:59:59Z'))).toMatchObject({ allowed: true, reason: 'active' });
    expect(await ask(user.id, 'SSO', new Date('2027-04-01T00:00:00Z'))).toMatchObject({ allowed: false, reason: 'canceled' });
  });

  it('a former subscriber hears about their latest canceled subscription', async () => {
    const { user, subs } = await customerWith(['starter', { status: 'canceled', endedAt: failedAt }]);
    expect(await ask(user.id, 'Email support', failedAt)).toMatchObject({ allowed: false, reason: 'canceled', subscriptionId: subs[0].id });
  });

  it('follows a real subscription: trial, a declined renewal (past due from the charge), grace, then restriction', async () => {
    const user = await createUser(db());
    const at = new Date('2027-06-01T09:00:00Z');
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), 'team_month_usd'), quantity: 2, provider: 'stripe' }, at);
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.setupIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_chargeCustomerFail' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at, { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    expect(await ask(user.id, 'SSO', at)).toMatchObject({ allowed: true, reason: 'trialing', subscriptionId: sub.id });

    const deps = { db: db(), boss: env.t.boss, gateways: env.gateways, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: [] }, settings: testBillingSettings };
    await runBilling(deps, sub.currentPeriodEnd);
    const [invoice] = await db().select().from(invoices).where(eq(invoices.subscriptionId, sub.id));
    expect(await chargeInvoice(deps, { invoiceId: invoice.id, attempt: 1 }, sub.currentPeriodEnd)).toBe('failed');
    const failedSince = sub.currentPeriodEnd;
    expect(await ask(user.id, 'SSO', after(failedSince, 6 * DAY))).toMatchObject({ allowed: true, reason: 'past_due_within_grace', pastDueSince: failedSince.getTime(), graceEndsAt: failedSince.getTime() + 7 * DAY });
    expect(await ask(user.id, 'SSO', after(failedSince, 7 * DAY))).toMatchObject({ allowed: false, reason: 'past_due_grace_expired', subscriptionId: sub.id });
  });
});
