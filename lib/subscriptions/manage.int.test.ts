/**
 * A year of one subscription, lived through the portal's actions and the billing run: an upgrade,
 * a seat change, a downgrade at the period end and a cancellation, with the bad requests refused.
 */
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceLines, invoices, subscriptions } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { runBilling } from '@/lib/invoices/billing-run';
import { chargeInvoice } from '@/lib/invoices/charge';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { cancelSubscription, changeSubscription, previewSubscriptionChange, resumeSubscription } from './manage';
import { testBillingSettings } from '@/test/settings';

const settings = testBillingSettings;
const at = (iso: string) => new Date(iso);

describe(`a subscription's year through the portal (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  const deps = () => ({ db: db(), boss: env.t.boss, gateways: env.gateways, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: [] }, settings, downgradePolicy: 'at_period_end' as const });
  const price = (key: string) => priceIdOf(db(), key);

  it('upgrade, seat change, downgrade at the period end, cancellation: each billed exactly as previewed', async () => {
    const user = await createUser(db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await price('starter_month_usd'), quantity: 1, provider: 'stripe' }, at('2026-01-01T10:00:00Z'));
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at('2026-01-01T10:00:00Z'), { type: 'user', id: user.id });
    const [{ id }] = await db().select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    const sub = async () => (await db().select().from(subscriptions).where(eq(subscriptions.id, id)))[0];
    const bills = () => db().select().from(invoices).where(eq(invoices.subscriptionId, id)).orderBy(asc(invoices.createdAt));
    const lines = async (invoiceId: string) => (await db().select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position))).map((l) => [l.kind, l.amount]);
    const chargeLatest = async (now: Date) => {
      const latest = (await bills()).at(-1)!;
      if (latest.status === 'open') expect(await chargeInvoice(deps(), { invoiceId: latest.id, attempt: 1 }, now)).toBe('paid');
    };

    // Jan 16: Starter → Pro, halfway (16 of 31 days left): credit the unused Starter, charge the rest of Pro.
    const pro = { priceId: await price('pro_month_usd'), quantity: 1 };
    const preview = await previewSubscriptionChange(deps(), user.id, id, pro, at('2026-01-16T10:00:00Z'));
    expect(preview.preview.kind).toBe('upgrade');
    expect(preview.preview.lines.map((l) => l.amount.amount)).toEqual([-465, 1497]);
    const upgrade = await changeSubscription(deps(), user.id, id, pro, at('2026-01-16T10:00:00Z'));
    expect(upgrade.timing).toBe('immediate');
    expect(await lines(upgrade.invoiceId!)).toEqual([['proration', -465], ['proration', 1497]]);
    expect((await bills())[0]).toMatchObject({ billingReason: 'subscription_update', total: preview.totals.total.amount, amountDue: 1032 });
    await chargeLatest(at('2026-01-16T10:00:00Z'));

    // Feb 1: the first renewal, at Pro's price.
    await runBilling(deps(), at('2026-02-01T10:00:00Z'));
    expect((await bills()).at(-1)).toMatchObject({ billingReason: 'subscription_cycle', total: 2900 });
    await chargeLatest(at('2026-02-01T10:00:00Z'));

    // Feb 15: Pro → Team × 3 seats ($36 > $29): an upgrade, prorated over the 14 of 28 days left.
    const team3 = await changeSubscription(deps(), user.id, id, { priceId: await price('team_month_usd'), quantity: 3 }, at('2026-02-15T10:00:00Z'));
    expect(await lines(team3.invoiceId!)).toEqual([['proration', -1450], ['proration', 1800]]);
    await chargeLatest(at('2026-02-15T10:00:00Z'));
    await runBilling(deps(), at('2026-03-01T10:00:00Z'));
    expect((await bills()).at(-1)).toMatchObject({ total: 3600 });
    await chargeLatest(at('2026-03-01T10:00:00Z'));

    // Mar 1 + 0: 3 → 5 seats at the start of the period: the full difference.
    const seats = await changeSubscription(deps(), user.id, id, { priceId: await price('team_month_usd'), quantity: 5 }, at('2026-03-01T10:00:00Z'));
    expect(await lines(seats.invoiceId!)).toEqual([['proration', -3600], ['proration', 6000]]);
    await chargeLatest(at('2026-03-01T10:00:00Z'));

    // Mar 20: Team × 5 → Starter is a downgrade: scheduled for Apr 1, nothing billed now.
    const down = await changeSubscription(deps(), user.id, id, { priceId: await price('starter_month_usd'), quantity: 1 }, at('2026-03-20T10:00:00Z'));
    expect(down).toMatchObject({ timing: 'at_period_end', invoiceId: null });
    expect(await sub()).toMatchObject({ quantity: 5, scheduledQuantity: 1 });
    await runBilling(deps(), at('2026-04-01T10:00:00Z'));
    expect((await bills()).at(-1)).toMatchObject({ total: 900 });
    expect(await sub()).toMatchObject({ quantity: 1, scheduledPriceId: null, priceId: await price('starter_month_usd') });
    await chargeLatest(at('2026-04-01T10:00:00Z'));

    // Renewals go on monthly until a cancellation at the period end, which can be undone before it.
    for (const month of ['05', '06']) {
      await runBilling(deps(), at(`2026-${month}-01T10:00:00Z`));
      await chargeLatest(at(`2026-${month}-01T10:00:00Z`));
    }
    await cancelSubscription(deps(), user.id, id, { atPeriodEnd: true }, at('2026-06-10T00:00:00Z'));
    await expect(cancelSubscription(deps(), user.id, id, { atPeriodEnd: true }, at('2026-06-11T00:00:00Z'))).rejects.toMatchObject({ status: 409, code: 'already_ending' });
    await resumeSubscription(deps(), user.id, id, at('2026-06-12T00:00:00Z'));
    await cancelSubscription(deps(), user.id, id, { atPeriodEnd: true }, at('2026-06-20T00:00:00Z'));
    await runBilling(deps(), at('2026-07-01T10:00:00Z'));
    expect(await sub()).toMatchObject({ status: 'canceled', endedAt: at('2026-07-01T10:00:00Z') });
    const all = await bills();
    expect(all.map((b) => b.billingReason)).toEqual(['subscription_update', 'subscription_cycle', 'subscription_update', 'subscription_cycle', 'subscription_update', 'subscription_cycle', 'subscription_cycle', 'subscription_cycle']);
    expect(all.every((b) => b.status === 'paid')).toBe(true);

    // After the end: nothing more to cancel, resume or change.
    await expect(resumeSubscription(deps(), user.id, id, at('2026-07-02T00:00:00Z'))).rejects.toMatchObject({ status: 409 });
    await expect(cancelSubscription(deps(), user.id, id, { atPeriodEnd: false }, at('2026-07-02T00:00:00Z'))).rejects.toMatchObject({ code: 'already_canceled' });
    await expect(changeSubscription(deps(), user.id, id, pro, at('2026-07-02T00:00:00Z'))).rejects.toMatchObject({ status: 409 });
  });

  it('refuses bad changes with a clear error and changes nothing', async () => {
    const user = await createUser(db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await price('starter_month_usd'), quantity: 1, provider: 'stripe' }, at('2026-05-05T00:00:00Z'));
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at('2026-05-05T00:00:00Z'), { type: 'user', id: user.id });
    const [before] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    const when = at('2026-05-10T00:00:00Z');
    const cases: Array<[string, { priceId: string; quantity: number }, string]> = [
      ['zero seats', { priceId: await price('team_month_usd'), quantity: 0 }, 'invalid_quantity'],
      ['negative seats', { priceId: await price('team_month_usd'), quantity: -2 }, 'invalid_quantity'],
      ['another currency', { priceId: await price('pro_month_eur'), quantity: 1 }, 'currency_change'],
      ['a one-time product', { priceId: await price('onboarding_usd'), quantity: 1 }, 'not_a_plan'],
      ['a tampered id', { priceId: 'price_tampered', quantity: 1 }, 'unknown_price'],
      ['the same plan', { priceId: await price('starter_month_usd'), quantity: 1 }, 'no_change'],
    ];
    for (const [what, change, code] of cases) {
      await expect(changeSubscription(deps(), user.id, before.id, change, when), what).rejects.toMatchObject({ code });
    }
    const intruder = await createUser(db());
    await expect(cancelSubscription(deps(), intruder.id, before.id, { atPeriodEnd: false }, when)).rejects.toMatchObject({ status: 404 });
    // After the period's end (the billing run not through yet): nothing to prorate.
    await expect(changeSubscription(deps(), user.id, before.id, { priceId: await price('team_month_usd'), quantity: 1 }, before.currentPeriodEnd)).rejects.toMatchObject({ status: 409, code: 'period_ended' });
    // While a payment is overdue the period was not paid, so a change could credit money never received.
    await db().update(subscriptions).set({ status: 'past_due', pastDueSince: when }).where(eq(subscriptions.id, before.id));
    await expect(changeSubscription(deps(), user.id, before.id, { priceId: await price('team_month_usd'), quantity: 1 }, when)).rejects.toMatchObject({ status: 409, code: 'payment_overdue' });
    await db().update(subscriptions).set({ status: before.status, pastDueSince: null }).where(eq(subscriptions.id, before.id));
    const [after] = await db().select().from(subscriptions).where(eq(subscriptions.id, before.id));
    expect({ ...after, updatedAt: before.updatedAt }).toEqual(before);
    expect(await db().select().from(invoices).where(eq(invoices.subscriptionId, before.id))).toHaveLength(0);
  });
});
