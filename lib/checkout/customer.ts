/**
 * The app's customer row for a user, and its identity at Stripe. Both are created on first need and
 * keyed so concurrent requests end with one of each (unique user id; a deterministic Idempotency-Key).
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customers, providerCustomers, users, type Customer } from '@/db/schema';
import type { Gateways } from '@/lib/payments/gateways';

export async function ensureCustomer(db: Database, userId: string): Promise<Customer> {
  const [existing] = await db.select().from(customers).where(eq(customers.userId, userId));
  if (existing) return existing;
  const [user] = await db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  await db.insert(customers).values({ userId, email: user.email, billingName: user.name }).onConflictDoNothing({ target: customers.userId });
  const [row] = await db.select().from(customers).where(eq(customers.userId, userId));
  return row;
}

export async function providerCustomerId(db: Database, customerId: string, provider: 'stripe' | 'paypal'): Promise<string | null> {
  const [row] = await db
    .select({ id: providerCustomers.providerCustomerId })
    .from(providerCustomers)
    .where(and(eq(providerCustomers.customerId, customerId), eq(providerCustomers.provider, provider)));
  return row?.id ?? null;
}

/** The customer's Stripe customer id, created once (the key makes a retried or concurrent create return the same one). */
export async function ensureStripeCustomer(db: Database, gateways: Gateways, customer: Customer): Promise<string> {
  const known = await providerCustomerId(db, customer.id, 'stripe');
  if (known) return known;
  const created = await gateways.stripe.customers.create(
    { email: customer.email, name: customer.billingName ?? undefined, metadata: { customerId: customer.id } },
    { idempotencyKey: `customer:${customer.id}:stripe` },
  );
  await db.insert(providerCustomers).values({ customerId: customer.id, provider: 'stripe', providerCustomerId: created.id }).onConflictDoNothing();
  return (await providerCustomerId(db, customer.id, 'stripe'))!;
}
