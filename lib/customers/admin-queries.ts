/**
 * The admin's view of customers: a searchable list, newest first, a page at a time, with each one's
 * credit balance and subscriptions; and one customer with their subscriptions, invoices, credit
 * balance and its ledger.
 */
import { and, asc, count, desc, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { containing, pageNumber, searchText } from '@/lib/admin/list-filters';
import type { DbOrTx } from '@/db/client';
import { coupons, customerBalanceTransactions, customers, invoices, prices, products, subscriptions, users } from '@/db/schema';
import { isUuid } from '@/lib/ids';

export const ADMIN_CUSTOMER_PAGE_SIZE = 25;

export const customerListFilterSchema = z.object({
  q: searchText,
  page: pageNumber,
});
export type CustomerListFilter = z.infer<typeof customerListFilterSchema>;

export interface Balance {
  currency: string;
  amount: number;
}

/** The credit balance per currency of each customer, currencies in order; zero balances left out. */
async function balancesOf(db: DbOrTx, customerIds: string[]): Promise<Map<string, Balance[]>> {
  const byCustomer = new Map<string, Balance[]>();
  const rows = await db
    .select({ customerId: customerBalanceTransactions.customerId, currency: customerBalanceTransactions.currency, amount: sql<string>`sum(${customerBalanceTransactions.amount})` })
    .from(customerBalanceTransactions)
    .where(inArray(customerBalanceTransactions.customerId, customerIds))
    .groupBy(customerBalanceTransactions.customerId, customerBalanceTransactions.currency)
    .orderBy(asc(customerBalanceTransactions.currency));
  for (const row of rows) {
    // sum() of bigint is numeric: a string, exact; balances stay far below 2^53 minor units.
    const amount = Number(row.amount);
    if (amount !== 0) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), { currency: row.currency, amount }]);
  }
  return byCustomer;
}

export async function listCustomersForAdmin(db: DbOrTx, filter: CustomerListFilter, pageSize = ADMIN_CUSTOMER_PAGE_SIZE) {
  const where: SQL | undefined = filter.q
    ? or(ilike(customers.email, containing(filter.q)), ilike(customers.billingName, containing(filter.q)), ilike(users.name, containing(filter.q)), ilike(users.email, containing(filter.q)))
    : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ id: customers.id, email: customers.email, billingName: customers.billingName, userName: users.name, country: customers.country, createdAt: customers.createdAt })
      .from(customers)
      .innerJoin(users, eq(users.id, customers.userId))
      .where(where)
      .orderBy(desc(customers.createdAt), desc(customers.id))
      .limit(pageSize)
      .offset((filter.page - 1) * pageSize),
    db.select({ total: count() }).from(customers).innerJoin(users, eq(users.id, customers.userId)).where(where),
  ]);
  const ids = rows.map((r) => r.id);
  const [balances, subs, canceledCounts] = ids.length === 0 ? [new Map<string, Balance[]>(), [], []] : await Promise.all([
    balancesOf(db, ids),
    db
      .select({ id: subscriptions.id, customerId: subscriptions.customerId, status: subscriptions.status, productName: products.name })
      .from(subscriptions)
      .innerJoin(products, eq(products.id, subscriptions.productId))
      .where(and(inArray(subscriptions.customerId, ids), ne(subscriptions.status, 'canceled')))
      .orderBy(desc(subscriptions.createdAt)),
    db
      .select({ customerId: subscriptions.customerId, n: count() })
      .from(subscriptions)
      .where(and(inArray(subscriptions.customerId, ids), eq(subscriptions.status, 'canceled')))
      .groupBy(subscriptions.customerId),
  ]);
  const canceled = new Map(canceledCounts.map((c) => [c.customerId, c.n]));
  return {
    customers: rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.billingName ?? r.userName,
      country: r.country,
      createdAt: r.createdAt,
      balances: balances.get(r.id) ?? [],
      /** The live subscriptions (every status but canceled), newest first. */
      subscriptions: subs.filter((s) => s.customerId === r.id).map((s) => ({ id: s.id, status: s.status, productName: s.productName })),
      canceledSubscriptions: canceled.get(r.id) ?? 0,
    })),
    page: filter.page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    total,
  };
}

/** The currencies the catalog prices in: the only ones a credit can ever be used in. */
export async function billedCurrencies(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ currency: prices.currency }).from(prices).orderBy(asc(prices.currency));
  return rows.map((r) => r.currency);
}

export type AdminCustomerDetail = NonNullable<Awaited<ReturnType<typeof customerForAdmin>>>;

const LEDGER_LIMIT = 200;
const INVOICE_LIMIT = 100;

/** The customer and what an admin needs about them, or null when there is none with that id. */
export async function customerForAdmin(db: DbOrTx, customerId: string) {
  if (!isUuid(customerId)) return null;
  const [row] = await db
    .select({ customer: customers, user: { id: users.id, name: users.name, email: users.email, role: users.role, createdAt: users.createdAt } })
    .from(customers)
    .innerJoin(users, eq(users.id, customers.userId))
    .where(eq(customers.id, customerId));
  if (!row) return null;
  const [subs, bills, balances, ledger, currencies] = await Promise.all([
    db
      .select({
        id: subscriptions.id,
        productName: products.name,
        status: subscriptions.status,
        quantity: subscriptions.quantity,
        perSeat: products.perSeat,
        currency: prices.currency,
        unitAmount: prices.unitAmount,
        interval: prices.interval,
        intervalCount: prices.intervalCount,
        provider: subscriptions.provider,
        currentPeriodStart: subscriptions.currentPeriodStart,
        currentPeriodEnd: subscriptions.currentPeriodEnd,
        trialEnd: subscriptions.trialEnd,
        cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
        pastDueSince: subscriptions.pastDueSince,
        endedAt: subscriptions.endedAt,
        scheduledPriceId: subscriptions.scheduledPriceId,
        scheduledQuantity: subscriptions.scheduledQuantity,
        /** The coupon discounting its next invoices, if any. */
        couponCode: coupons.code,
        couponInvoices: subscriptions.couponInvoices,
        createdAt: subscriptions.createdAt,
      })
      .from(subscriptions)
      .innerJoin(products, eq(products.id, subscriptions.productId))
      .innerJoin(prices, eq(prices.id, subscriptions.priceId))
      .leftJoin(coupons, eq(coupons.id, subscriptions.couponId))
      .where(eq(subscriptions.customerId, customerId))
      .orderBy(desc(subscriptions.createdAt)),
    db
      .select({
        id: invoices.id,
        number: invoices.number,
        status: invoices.status,
        billingReason: invoices.billingReason,
        currency: invoices.currency,
        total: invoices.total,
        creditApplied: invoices.creditApplied,
        amountDue: invoices.amountDue,
        amountPaid: invoices.amountPaid,
        createdAt: invoices.createdAt,
        finalizedAt: invoices.finalizedAt,
      })
      .from(invoices)
      .where(eq(invoices.customerId, customerId))
      .orderBy(desc(invoices.createdAt), desc(invoices.id))
      .limit(INVOICE_LIMIT + 1),
    balancesOf(db, [customerId]),
    db
      .select()
      .from(customerBalanceTransactions)
      .where(eq(customerBalanceTransactions.customerId, customerId))
      .orderBy(desc(customerBalanceTransactions.createdAt), desc(customerBalanceTransactions.id))
      .limit(LEDGER_LIMIT + 1),
    billedCurrencies(db),
  ]);
  return {
    customer: row.customer,
    user: row.user,
    subscriptions: subs,
    invoices: bills.slice(0, INVOICE_LIMIT),
    /** More invoices exist than the page shows (the newest INVOICE_LIMIT). */
    moreInvoices: bills.length > INVOICE_LIMIT,
    balances: balances.get(customerId) ?? [],
    ledger: ledger.slice(0, LEDGER_LIMIT),
    moreLedger: ledger.length > LEDGER_LIMIT,
    /** What a goodwill credit may be granted in: the catalog's currencies, the customer's own first. */
    creditCurrencies: [...new Set([...subs.map((s) => s.currency), ...currencies])].filter((c) => currencies.includes(c)),
  };
}
