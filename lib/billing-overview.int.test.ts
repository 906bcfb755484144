/** The billing page's subscriptions with their plans' features and what each allows now. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prices, subscriptions, type Subscription } from '@/db/schema';
import { ensureCustomer } from '@/lib/checkout/customer';
import { createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';
import { billingOverview } from './billing-overview';

const since = new Date('2027-03-03T08:00:00Z');
const DAY = 86_400_000;

describe(`the billing overview's features (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
    await seedCheckoutCatalog(t.handle.db);
  });
  afterAll(() => t?.close());

  async function subscribe(customerId: string, lookupKey: string, state: Partial<Subscription>) {
    const db = t.handle.db;
    const priceId = await priceIdOf(db, lookupKey);
    const [{ productId }] = await db.select({ productId: prices.productId }).from(prices).where(eq(prices.id, priceId));
    const start = new Date('2027-03-01T00:00:00Z');
    await db.insert(subscriptions).values({ customerId, productId, priceId, quantity: 1, status: 'active', provider: 'stripe', currentPeriodStart: start, currentPeriodEnd: new Date('2027-04-01T00:00:00Z'), billingCycleAnchor: start, ...state });
  }

  it('lists each plan feature with its access, and says when a past-due plan is restricted', async () => {
    const user = await createUser(t.handle.db);
    const customer = await ensureCustomer(t.handle.db, user.id);
    await subscribe(customer.id, 'team_month_usd', { status: 'past_due', pastDueSince: since, createdAt: new Date('2027-03-01T00:00:00Z') });
    await subscribe(customer.id, 'starter_month_usd', { status: 'canceled', endedAt: since, createdAt: new Date('2027-01-01T00:00:00Z') });
    const overview = (now: Date) => billingOverview(t.handle.db, user.id, now, { pastDueGraceDays: 7 });

    const within = await overview(new Date(since.getTime() + DAY));
    const [team, starter] = within.subscriptions;
    expect(team.features.map((f) => [f.feature, f.allowed])).toEqual([['Everything in Pro', true], ['Roles and permissions', true], ['SSO', true], ['Per-seat billing', true]]);
    expect(team.accessNote).toEqual({ text: 'Payment past due since Mar 3, 2027; access continues until Mar 10, 2027. Pay the open invoice to keep it.', restricted: false });
    // A canceled plan is history: no features listed, nothing to say.
    expect(starter).toMatchObject({ status: 'canceled', features: [], accessNote: null, scheduledChange: null });

    const lapsed = await overview(new Date(since.getTime() + 8 * DAY));
    expect(lapsed.subscriptions[0].features.every((f) => !f.allowed && f.reason === 'past_due_grace_expired')).toBe(true);
    expect(lapsed.subscriptions[0].accessNote).toEqual({ text: 'Access restricted: payment past due since Mar 3, 2027; the grace period ended Mar 10, 2027. Pay the open invoice to restore it.', restricted: true });
  });

  it('an active plan lists its features as available with nothing to add', async () => {
    const user = await createUser(t.handle.db);
    const customer = await ensureCustomer(t.handle.db, user.id);
    await subscribe(customer.id, 'pro_month_usd', {});
    const [pro] = (await billingOverview(t.handle.db, user.id, since, { pastDueGraceDays: 7 })).subscriptions;
    expect(pro.features.map((f) => [f.feature, f.allowed, f.reason])).toEqual([['Unlimited projects', true, 'active'], ['Priority support', true, 'active'], ['Advanced analytics', true, 'active']]);
    expect(pro.accessNote).toBeNull();
  });
});
