/**
 * Seeding: the demo catalog and demo accounts. Idempotent (keyed by slug, lookup key and email), so it
 * runs at every start in sandbox mode without duplicating anything or overwriting later edits.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/password';
import type { Database } from './client';
import { DEMO_ACCOUNTS, DEMO_CATALOG, DEMO_METERS } from './catalog';
import { parseTaxRates } from '@/lib/billing';
import taxRateData from './data/tax-rates.json';
import { coupons, customers, meters, prices, products, taxRates, users } from './schema';

export async function seedCatalog(db: Database): Promise<{ products: number; prices: number }> {
  let productCount = 0;
  let priceCount = 0;
  await db.transaction(async (tx) => {
    await tx.insert(meters).values(DEMO_METERS).onConflictDoNothing({ target: meters.key });
    const meterIds = new Map((await tx.select({ id: meters.id, key: meters.key }).from(meters)).map((m) => [m.key, m.id]));
    for (const [index, product] of DEMO_CATALOG.entries()) {
      const inserted = await tx
        .insert(products)
        .values({
          slug: product.slug,
          name: product.name,
          description: product.description,
          kind: product.kind,
          perSeat: product.perSeat ?? false,
          maxQuantity: product.maxQuantity ?? 1,
          trialDays: product.trialDays ?? 0,
          features: product.features,
          sortOrder: index,
        })
        .onConflictDoNothing({ target: products.slug })
        .returning({ id: products.id });
      productCount += inserted.length;
      const [row] = await tx.select({ id: products.id }).from(products).where(eq(products.slug, product.slug));
      const insertedPrices = await tx
        .insert(prices)
        .values(
          product.prices.map((p) => ({
            productId: row.id,
            lookupKey: p.lookupKey,
            type: p.type,
            currency: p.currency,
            unitAmount: p.unitAmount,
            interval: p.interval ?? null,
            intervalCount: p.interval ? 1 : null,
            usageType: p.usageType ?? 'licensed',
            pricingModel: p.pricingModel ?? 'per_unit',
            packageSize: p.packageSize ?? null,
            tiers: p.tiers ?? null,
            meterId: p.meter ? meterIds.get(p.meter)! : null,
          })),
        )
        .onConflictDoNothing({ target: prices.lookupKey })
        .returning({ id: prices.id });
      priceCount += insertedPrices.length;
      // Metered prices seeded before meters existed get theirs (and nothing else is touched).
      for (const p of product.prices.filter((p) => p.meter)) {
        await tx.update(prices).set({ meterId: meterIds.get(p.meter!)! }).where(and(eq(prices.lookupKey, p.lookupKey), isNull(prices.meterId)));
      }
    }
  });
  return { products: productCount, prices: priceCount };
}

/**
 * The tax rates shipped in db/data/tax-rates.json: rows are added by id and never overwritten, so an
 * operator's edits survive, and a new dated rate in the data arrives with the next start.
 */
export async function seedTaxRates(db: Database): Promise<number> {
  const rows = parseTaxRates(taxRateData).map((r) => ({ ...r, validFrom: new Date(r.validFrom) }));
  const inserted = await db.insert(taxRates).values(rows).onConflictDoNothing({ target: taxRates.id }).returning({ id: taxRates.id });
  return inserted.length;
}

/** Demo accounts with one shared password; only ever called in sandbox mode. */
export async function seedDemoAccounts(db: Database, password: string): Promise<string[]> {
  const emails = DEMO_ACCOUNTS.map((a) => a.email);
  const existing = await db.select({ email: users.email }).from(users).where(inArray(users.email, emails));
  const missing = DEMO_ACCOUNTS.filter((a) => !existing.some((e) => e.email === a.email));
  if (missing.length === 0) return [];
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    for (const account of missing) {
      const [user] = await tx
        .insert(users)
        .values({ email: account.email, name: account.name, role: account.role, passwordHash })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      if (user && account.role === 'customer') {
        await tx.insert(customers).values({ userId: user.id, email: account.email, billingName: account.name, country: 'US' });
      }
    }
  });
  return missing.map((a) => a.email);
}

/** The demo promotion code, sandbox mode only: 20% off a first invoice. */
export const DEMO_COUPON_CODE = 'WELCOME20';

export async function seedDemoCoupon(db: Database): Promise<void> {
  await db
    .insert(coupons)
    .values({ code: DEMO_COUPON_CODE, name: 'Welcome offer', percentOff: '20', duration: 'once', maxRedemptionsPerCustomer: 1 })
    .onConflictDoNothing({ target: coupons.code });
}

/** Gives the admin role to every existing user listed in ADMIN_EMAILS. */
export async function promoteAdmins(db: Database, adminEmails: string[]): Promise<void> {
  if (adminEmails.length === 0) return;
  await db.update(users).set({ role: 'admin' }).where(inArray(users.email, adminEmails));
}
