import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';
import { DatabaseOpenError, openDatabase } from './client';
import { runMigrations } from './migrate';
import { DEMO_COUPON_CODE, promoteAdmins, seedCatalog, seedDemoAccounts, seedDemoCoupon } from './seed';
import { coupons, customers, prices, products, users } from './schema';
import { assertCouponDefinition } from '@/lib/billing';
import { couponDefinition } from '@/lib/coupons';

describe(`database (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t?.close());

  it('applies migrations idempotently', async () => {
    await runMigrations(t.handle);
    await runMigrations(t.handle);
    const result = await t.handle.db.execute(sql`select count(*)::int as n from information_schema.tables where table_name = 'prices'`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ n: number }>;
    expect(rows[0].n).toBe(1);
  });

  it('seeds the demo catalog once, however often it runs', async () => {
    const first = await seedCatalog(t.handle.db);
    expect(first).toEqual({ products: 6, prices: 18 });
    expect(await seedCatalog(t.handle.db)).toEqual({ products: 0, prices: 0 });

    const plans = await t.handle.db.select().from(products).where(eq(products.kind, 'plan'));
    expect(plans.map((p) => p.slug).sort()).toEqual(['pro', 'starter', 'team']);
    expect(plans.find((p) => p.slug === 'team')?.perSeat).toBe(true);

    const teamPrices = await t.handle.db
      .select({ lookupKey: prices.lookupKey, currency: prices.currency, interval: prices.interval })
      .from(prices)
      .innerJoin(products, eq(products.id, prices.productId))
      .where(eq(products.slug, 'team'));
    expect(teamPrices).toHaveLength(4);
    expect(new Set(teamPrices.map((p) => `${p.currency}/${p.interval}`))).toEqual(new Set(['USD/month', 'USD/year', 'EUR/month', 'EUR/year']));

    const [metered] = await t.handle.db.select().from(prices).where(eq(prices.lookupKey, 'api_calls_month_usd'));
    expect(metered).toMatchObject({ usageType: 'metered', pricingModel: 'package', packageSize: 1000, unitAmount: 200 });
    const [oneTime] = await t.handle.db.select().from(prices).where(eq(prices.lookupKey, 'onboarding_eur'));
    expect(oneTime).toMatchObject({ type: 'one_time', interval: null, currency: 'EUR', unitAmount: 45900 });
  });

  it('rejects prices that break the money rules', async () => {
    const [product] = await t.handle.db.select().from(products).limit(1);
    const base = { productId: product.id, currency: 'USD', unitAmount: 100 };
    await expect(t.handle.db.insert(prices).values({ ...base, lookupKey: 'neg', type: 'one_time', unitAmount: -1 })).rejects.toThrow();
    await expect(t.handle.db.insert(prices).values({ ...base, lookupKey: 'noint', type: 'recurring' })).rejects.toThrow();
    await expect(t.handle.db.insert(prices).values({ ...base, lookupKey: 'lower', type: 'one_time', currency: 'usd' })).rejects.toThrow();
    await expect(
      t.handle.db.insert(prices).values({ ...base, lookupKey: 'onceint', type: 'one_time', interval: 'month', intervalCount: 1 }),
    ).rejects.toThrow();
  });

  it('creates demo accounts once, with a customer record for the customer', async () => {
    expect(await seedDemoAccounts(t.handle.db, 'demo-password-2026')).toHaveLength(3);
    expect(await seedDemoAccounts(t.handle.db, 'demo-password-2026')).toEqual([]);
    const [admin] = await t.handle.db.select().from(users).where(eq(users.email, 'admin@example.com'));
    expect(admin.role).toBe('admin');
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
    const [{ n }] = await t.handle.db.select({ n: count() }).from(customers);
    expect(n).toBe(1);
  });

  it('adds the demo promotion code once, a valid coupon', async () => {
    await seedDemoCoupon(t.handle.db);
    await seedDemoCoupon(t.handle.db);
    const rows = await t.handle.db.select().from(coupons).where(eq(coupons.code, DEMO_COUPON_CODE));
    expect(rows).toHaveLength(1);
    expect(() => assertCouponDefinition(couponDefinition(rows[0]))).not.toThrow();
  });

  it('promotes users listed in ADMIN_EMAILS', async () => {
    await promoteAdmins(t.handle.db, ['support@example.com']);
    const [support] = await t.handle.db.select().from(users).where(eq(users.email, 'support@example.com'));
    expect(support.role).toBe('admin');
  });
});

describe('embedded database directory', () => {
  it('is created when missing and keeps its data across reopening', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'billing-')), 'fresh');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await runMigrations(first);
    await seedCatalog(first.db);
    await first.close();
    const second = await openDatabase({ kind: 'pglite', dataDir });
    await runMigrations(second);
    const [{ n }] = await second.db.select({ n: count() }).from(products);
    expect(n).toBe(6);
    await second.close();
  });

  it('reports a damaged directory clearly instead of starting half-migrated', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-'));
    mkdirSync(path.join(dataDir, 'pglite'));
    writeFileSync(path.join(dataDir, 'pglite', 'PG_VERSION'), 'garbage');
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(DatabaseOpenError);
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(/could not be opened.*move it aside/s);
  });
});
