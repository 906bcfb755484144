/**
 * A downgrade scheduled for the period end: the billing page says what it changes to and when, the
 * customer takes it back (audited; refused when nothing is scheduled or the subscription is not
 * theirs), and the renewal then bills the plan and seats they kept.
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, invoices, subscriptions } from '@/db/schema';
import { billingOverview } from '@/lib/billing-overview';
import { checkoutOfUser } from '@/lib/checkout/access';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { runBilling } from '@/lib/invoices/billing-run';
import { chargeInvoice } from '@/lib/invoices/charge';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { cancelScheduledChange, changeSubscription } from './manage';
import { testBillingSettings } from '@/test/settings';

const settings = testBillingSettings;
const at = (iso: string) => new Date(iso);

describe(`cancelling a scheduled change (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  const deps = () => ({ db: db(), boss: env.t.boss, gateways: env.gateways, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: [] }, settings, downgradePolicy: 'at_period_end' as const });
  const overviewOf = async (userId: string, now: Date) => (await billingOverview(db(), userId, now, { pastDueGraceDays: 7 })).subscriptions[0];

  it('shows the change, takes it back once with an audit entry, and the renewal keeps the plan', async () => {
    // Team × 3 from Jan 5, 2027; the trial ends Jan 19 and the first period is paid, so it is active.
    const user = await createUser(db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), 'team_month_usd'), quantity: 3, provider: 'stripe' }, at('2027-01-05T10:00:00Z'));
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.setupIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at('2027-01-05T10:00:00Z'), { type: 'user', id: user.id });
    const [{ id }] = await db().select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    const sub = async () => (await db().select().from(subscriptions).where(eq(subscriptions.id, id)))[0];
    const bills = () => db().select().from(invoices).where(eq(invoices.subscriptionId, id)).orderBy(asc(invoices.createdAt));
    await runBilling(deps(), at('2027-01-19T10:00:00Z'));
    expect(await chargeInvoice(deps(), { invoiceId: (await bills())[0].id, attempt: 1 }, at('2027-01-19T10:00:00Z'))).toBe('paid');
    expect(await sub()).toMatchObject({ status: 'active', quantity: 3, currentPeriodEnd: at('2027-02-19T10:00:00Z') });
    const now = at('2027-02-01T00:00:00Z');
    expect((await overviewOf(user.id, now)).scheduledChange).toBeNull();

    // 3 → 2 seats is a downgrade: scheduled for Feb 19, and the page says so.
    const fewer = await changeSubscription(deps(), user.id, id, { priceId: await priceIdOf(db(), 'team_month_usd'), quantity: 2 }, now);
    expect(fewer.timing).toBe('at_period_end');
    expect((await overviewOf(user.id, now)).scheduledChange).toEqual({ productName: 'Team', cadence: 'monthly', quantity: 2, perSeat: true, effectiveAt: at('2027-02-19T10:00:00Z') });

    const kept = await cancelScheduledChange(deps(), user.id, id, at('2027-02-02T00:00:00Z'));
    expect(kept).toMatchObject({ scheduledPriceId: null, scheduledQuantity: null, quantity: 3 });
    expect((await overviewOf(user.id, now)).scheduledChange).toBeNull();
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'subscription.scheduled_change_canceled')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'user', actorId: user.id, before: { scheduledQuantity: 2, quantity: 3 }, after: { scheduledPriceId: null, scheduledQuantity: null } });

    // Again: nothing is scheduled any more, and nothing more is audited.
    await expect(cancelScheduledChange(deps(), user.id, id, at('2027-02-02T00:00:01Z'))).rejects.toMatchObject({ status: 409, code: 'nothing_scheduled', message: 'This subscription has no scheduled plan change to cancel.' });
    expect(await db().select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'subscription.scheduled_change_canceled')))).toHaveLength(1);

    // Team → Starter: another customer cannot take it back, nor learn that the subscription exists.
    await changeSubscription(deps(), user.id, id, { priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1 }, at('2027-02-03T00:00:00Z'));
    expect((await overviewOf(user.id, now)).scheduledChange).toMatchObject({ productName: 'Starter', cadence: 'monthly', quantity: 1, perSeat: false });
    const intruder = await createUser(db(), 'Intruder');
    await expect(cancelScheduledChange(deps(), intruder.id, id, at('2027-02-04T00:00:00Z'))).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(cancelScheduledChange(deps(), user.id, 'not-a-uuid', at('2027-02-04T00:00:00Z'))).rejects.toMatchObject({ status: 404 });
    expect(await sub()).toMatchObject({ scheduledPriceId: await priceIdOf(db(), 'starter_month_usd'), scheduledQuantity: 1 });
    await cancelScheduledChange(deps(), user.id, id, at('2027-02-05T00:00:00Z'));

    // The renewal bills the plan kept: Team × 3 at $12.00.
    await runBilling(deps(), at('2027-02-19T10:00:00Z'));
    expect((await bills()).at(-1)).toMatchObject({ billingReason: 'subscription_cycle', subtotal: 3600 });
    expect(await sub()).toMatchObject({ priceId: await priceIdOf(db(), 'team_month_usd'), quantity: 3, scheduledPriceId: null });
  });
});
