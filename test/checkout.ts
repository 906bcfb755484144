/** Fixtures for checkout tests: the demo catalog, users, price ids by lookup key, and the services' dependencies. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customers, prices, products, users } from '@/db/schema';
import { seedCatalog, seedTaxRates } from '@/db/seed';
import type { CheckoutDeps } from '@/lib/checkout/start';
import type { DatabaseAndSandbox } from './sandbox';

export function checkoutDepsOf(env: DatabaseAndSandbox): CheckoutDeps {
  return { db: env.t.handle.db, gateways: env.gateways, boss: env.t.boss, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: [] } };
}

export async function seedCheckoutCatalog(db: Database): Promise<void> {
  await seedCatalog(db);
  await seedTaxRates(db);
}

/** A user whose customer row has billing details (a New York address), as checkout requires. */
export async function createUser(db: Database, name = 'Buyer'): Promise<{ id: string; email: string }> {
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID().slice(0, 8)}@example.com`;
  const [user] = await db.insert(users).values({ email, name }).returning({ id: users.id, email: users.email });
  await db.insert(customers).values({ userId: user.id, email, billingName: name, country: 'US', postalCode: '10001', region: 'NY' });
  return user;
}

export async function priceIdOf(db: Database, lookupKey: string): Promise<string> {
  const [row] = await db.select({ id: prices.id }).from(prices).where(eq(prices.lookupKey, lookupKey));
  if (!row) throw new Error(`no price ${lookupKey}`);
  return row.id;
}

export async function setProductActive(db: Database, slug: string, active: boolean): Promise<void> {
  await db.update(products).set({ active }).where(eq(products.slug, slug));
}
