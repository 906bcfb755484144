/**
 * GET /api/entitlements through its handler, on a test database: 401 signed out, 400 on a bad key,
 * and the JSON answer for a signed-in customer. The session is stubbed; the rest is the real code.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prices, subscriptions } from '@/db/schema';
import { ensureCustomer } from '@/lib/checkout/customer';
import { createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';

const session = vi.hoisted(() => ({ user: null as { id: string; role: 'customer' } | null, db: null as unknown }));
vi.mock('@/lib/auth/guards', () => ({
  apiAccess: async () =>
    session.user ? { user: session.user, denied: null } : { user: null, denied: Response.json({ error: 'Sign in first.' }, { status: 401 }) },
}));
vi.mock('@/lib/runtime', () => ({ getRuntime: async () => ({ db: session.db, config: { billing: { pastDueGraceDays: 7 } } }) }));

const { GET } = await import('./route');
const get = (query: string) => GET(new Request(`http://localhost/api/entitlements${query}`));

describe(`GET /api/entitlements (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
    session.db = t.handle.db;
    await seedCheckoutCatalog(t.handle.db);
  });
  afterAll(() => t?.close());

  it('answers 401 when signed out', async () => {
    session.user = null;
    const response = await get('?feature=SSO');
    expect(response.status).toBe(401);
  });

  it('answers 400 on a missing, empty, overlong or control-character feature key', async () => {
    session.user = { id: 'someone', role: 'customer' };
    for (const query of ['', '?feature=', '?feature=%20%20', `?feature=${'x'.repeat(201)}`, '?feature=S%07SO']) {
      const response = await get(query);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'invalid_feature', error: expect.any(String) });
    }
  });

  it("answers for the signed-in user's subscriptions, with the grace period's end while past due", async () => {
    const user = await createUser(t.handle.db);
    const customer = await ensureCustomer(t.handle.db, user.id);
    session.user = { id: user.id, role: 'customer' };
    expect(await (await get('?feature=SSO')).json()).toEqual({ feature: 'SSO', allowed: false, reason: 'no_subscription' });

    const priceId = await priceIdOf(t.handle.db, 'team_month_usd');
    const [{ productId }] = await t.handle.db.select({ productId: prices.productId }).from(prices).where(eq(prices.id, priceId));
    // Past due since a day ago: within the 7-day grace period whatever the real clock says.
    const pastDueSince = new Date(Date.now() - 86_400_000);
    const [sub] = await t.handle.db
      .insert(subscriptions)
      .values({ customerId: customer.id, productId, priceId, quantity: 1, status: 'past_due', pastDueSince, provider: 'stripe', currentPeriodStart: pastDueSince, currentPeriodEnd: new Date(pastDueSince.getTime() + 30 * 86_400_000), billingCycleAnchor: pastDueSince })
      .returning();
    const response = await get('?feature=Roles%20and%20permissions');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.json()).toEqual({ feature: 'Roles and permissions', allowed: true, reason: 'past_due_within_grace', graceEndsAt: new Date(pastDueSince.getTime() + 7 * 86_400_000).toISOString(), subscriptionId: sub.id });
    expect(await (await get('?feature=Unknown')).json()).toEqual({ feature: 'Unknown', allowed: false, reason: 'feature_not_in_plan', subscriptionId: sub.id });
  });
});
