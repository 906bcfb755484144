/** The admin's customer list (search, pages, balance, subscriptions) and one customer's details. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, prices, subscriptions, users } from '@/db/schema';
import { recordBalanceTransaction } from '@/lib/invoices/balance';
import { priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';
import { customerForAdmin, customerListFilterSchema, listCustomersForAdmin } from './admin-queries';

describe(`the admin's customers (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  const db = () => t.handle.db;
  // Every name and email here carries this run's tag, so searches see only this file's customers.
  const tag = randomUUID().slice(0, 8);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await openTestDatabase();
    await seedCheckoutCatalog(db());
    const people: Array<[key: string, email: string, name: string | null, userName: string]> = [
      ['ada', `ada.${tag}@example.com`, `Ada Lovelace ${tag}`, 'Ada'],
      ['grace', `grace.${tag}@example.org`, null, `Grace Hopper ${tag}`],
      ['alan', `alan.${tag}@example.com`, `Alan Turing ${tag}`, 'Alan'],
      ['percent', `100%_off.${tag}@example.com`, `Percent ${tag}`, 'Percent'],
    ];
    for (const [i, [key, email, name, userName]] of people.entries()) {
      const [user] = await db().insert(users).values({ email, name: userName }).returning();
      // Distinct creation times: the list is newest first.
      const [customer] = await db()
        .insert(customers)
        .values({ userId: user.id, email, billingName: name, createdAt: new Date(Date.UTC(2027, 0, 1 + i)) })
        .returning();
      ids[key] = customer.id;
    }
    const priceId = await priceIdOf(db(), 'team_month_usd');
    const [{ productId }] = await db().select({ productId: prices.productId }).from(prices).where(eq(prices.id, priceId));
    const start = new Date('2027-02-01T00:00:00Z');
    const period = { provider: 'stripe' as const, quantity: 2, priceId, productId, currentPeriodStart: start, currentPeriodEnd: new Date('2027-03-01T00:00:00Z'), billingCycleAnchor: start };
    await db().insert(subscriptions).values({ ...period, customerId: ids.ada, status: 'past_due', pastDueSince: start });
    await db().insert(subscriptions).values({ ...period, customerId: ids.alan, status: 'canceled', endedAt: start });
    await recordBalanceTransaction(db(), { customerId: ids.ada, currency: 'USD', amount: 1500, type: 'goodwill_credit', description: 'Outage', idempotencyKey: `test:${tag}:1` });
    await recordBalanceTransaction(db(), { customerId: ids.ada, currency: 'EUR', amount: 250, type: 'goodwill_credit', description: 'Outage', idempotencyKey: `test:${tag}:2` });
    await recordBalanceTransaction(db(), { customerId: ids.ada, currency: 'EUR', amount: -250, type: 'applied_to_invoice', description: 'Used', idempotencyKey: `test:${tag}:3` });
  });
  afterAll(() => t?.close());

  const search = (q: string, page = 1, pageSize = 25) => listCustomersForAdmin(db(), customerListFilterSchema.parse({ q, page: String(page) }), pageSize);
  const emails = async (q: string) => (await search(q)).customers.map((c) => c.email);

  it('searches email, billing name and account name, case-insensitively', async () => {
    expect(await emails(tag)).toEqual([`100%_off.${tag}@example.com`, `alan.${tag}@example.com`, `grace.${tag}@example.org`, `ada.${tag}@example.com`]);
    expect(await emails(`LOVELACE ${tag}`)).toEqual([`ada.${tag}@example.com`]);
    expect(await emails(`Hopper ${tag}`)).toEqual([`grace.${tag}@example.org`]);
    expect(await emails(`${tag}@example.org`)).toEqual([`grace.${tag}@example.org`]);
    expect(await emails(`nobody-${tag}`)).toEqual([]);
  });

  it('takes % and _ literally', async () => {
    expect(await emails(`100%_off.${tag}`)).toEqual([`100%_off.${tag}@example.com`]);
    expect(await emails(`a%${tag}`)).toEqual([]);
    expect(await emails(`a_a.${tag}`)).toEqual([]);
  });

  it('pages through the matches', async () => {
    const first = await search(tag, 1, 3);
    expect(first).toMatchObject({ page: 1, pageCount: 2, total: 4 });
    expect(first.customers).toHaveLength(3);
    const second = await search(tag, 2, 3);
    expect(second.customers.map((c) => c.email)).toEqual([`ada.${tag}@example.com`]);
    // A nonsense page number is page 1.
    expect(customerListFilterSchema.parse({ page: 'abc' }).page).toBe(1);
    expect(customerListFilterSchema.parse({ page: '-3' }).page).toBe(1);
  });

  it('shows each customer’s balance per currency and live subscriptions', async () => {
    const list = (await search(tag)).customers;
    const byEmail = (prefix: string) => list.find((c) => c.email.startsWith(prefix))!;
    expect(byEmail('ada')).toMatchObject({ name: `Ada Lovelace ${tag}`, balances: [{ currency: 'USD', amount: 1500 }], subscriptions: [{ status: 'past_due', productName: 'Team' }], canceledSubscriptions: 0 });
    expect(byEmail('grace')).toMatchObject({ name: `Grace Hopper ${tag}`, balances: [], subscriptions: [], canceledSubscriptions: 0 });
    expect(byEmail('alan')).toMatchObject({ subscriptions: [], canceledSubscriptions: 1 });
  });

  it('gives one customer’s details, and null for an unknown or malformed id', async () => {
    const detail = await customerForAdmin(db(), ids.ada);
    expect(detail).toMatchObject({ customer: { id: ids.ada }, balances: [{ currency: 'USD', amount: 1500 }], moreInvoices: false, moreLedger: false, creditCurrencies: ['USD', 'EUR'] });
    expect(detail?.subscriptions).toHaveLength(1);
    expect(detail?.subscriptions[0]).toMatchObject({ productName: 'Team', status: 'past_due', quantity: 2, currency: 'USD' });
    expect(detail?.ledger.map((e) => e.amount).sort((a, b) => a - b)).toEqual([-250, 250, 1500]);
    expect(await customerForAdmin(db(), randomUUID())).toBeNull();
    expect(await customerForAdmin(db(), 'not-a-uuid')).toBeNull();
  });
});
