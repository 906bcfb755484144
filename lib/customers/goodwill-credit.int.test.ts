/**
 * Goodwill credit: the form's checks, one credit per idempotency key however often it arrives, the
 * audit entry, and the next invoices in that currency using the credit first.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, customerBalanceTransactions, invoices, subscriptions } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { ensureCustomer } from '@/lib/checkout/customer';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { creditBalance } from '@/lib/invoices/balance';
import { runBilling } from '@/lib/invoices/billing-run';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { customerForAdmin } from './admin-queries';
import { grantGoodwillCredit, parseGoodwillCreditForm, type GoodwillCredit } from './goodwill-credit';
import { testBillingSettings } from '@/test/settings';

const form = (overrides: Record<string, unknown> = {}) => ({ customerId: randomUUID(), currency: 'USD', amount: '25.00', reason: 'Sorry for the outage on May 3', idempotencyKey: randomUUID(), ...overrides });

describe('parseGoodwillCreditForm', () => {
  it('reads the amount in major units of the currency', () => {
    const fields = form({ amount: ' 25 ', currency: 'usd' });
    expect(parseGoodwillCreditForm(fields)).toEqual({ ok: true, credit: { customerId: fields.customerId, currency: 'USD', amount: 2500, reason: 'Sorry for the outage on May 3', idempotencyKey: fields.idempotencyKey } });
    expect(parseGoodwillCreditForm(form({ amount: '0.01' }))).toMatchObject({ ok: true, credit: { amount: 1 } });
    expect(parseGoodwillCreditForm(form({ amount: '2500', currency: 'JPY' }))).toMatchObject({ ok: true, credit: { amount: 2500, currency: 'JPY' } });
    expect(parseGoodwillCreditForm(form({ amount: '1.234', currency: 'KWD' }))).toMatchObject({ ok: true, credit: { amount: 1234 } });
  });

  it.each([
    ['zero', { amount: '0' }, 'amount', /greater than zero/],
    ['zero with decimals', { amount: '0.00' }, 'amount', /greater than zero/],
    ['negative', { amount: '-5.00' }, 'amount', /greater than zero/],
    ['not a number', { amount: 'ten' }, 'amount', /as a plain number, such as 25\.00, with at most 2 decimals/],
    ['too many decimals', { amount: '1.234' }, 'amount', /at most 2 decimals/],
    ['decimals in yen', { amount: '10.5', currency: 'JPY' }, 'amount', /such as 2500, with no decimals/],
    ['a thousands separator', { amount: '1,000' }, 'amount', /plain number/],
    ['no amount', { amount: undefined }, 'amount', /Enter an amount/],
    ['a bad currency', { currency: 'US$' }, 'currency', /three-letter currency code/],
    ['no currency', { currency: null }, 'currency', /Choose a currency/],
    ['no reason', { reason: '' }, 'reason', /Give a reason/],
    ['a blank reason', { reason: '   ' }, 'reason', /Give a reason/],
    ['an overlong reason', { reason: 'x'.repeat(501) }, 'reason', /under 500 characters/],
    ['no idempotency key', { idempotencyKey: '' }, 'idempotencyKey', /reload the page/],
    ['a tampered customer id', { customerId: "1' or 1=1" }, 'customerId', /no such customer/],
  ])('refuses %s', (_what, overrides, field, message) => {
    const result = parseGoodwillCreditForm(form(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field as keyof typeof result.errors]).toMatch(message);
  });

  it('names every bad field at once', () => {
    const result = parseGoodwillCreditForm(form({ amount: '-1', reason: '' }));
    expect(result.ok === false && Object.keys(result.errors).sort()).toEqual(['amount', 'reason']);
  });
});

describe(`grantGoodwillCredit (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const db = () => env.t.handle.db;
  const admin = 'admin-user-id';
  const credit = (customerId: string, overrides: Partial<GoodwillCredit> = {}): GoodwillCredit => ({ customerId, currency: 'USD', amount: 1500, reason: 'Sorry for the outage', idempotencyKey: randomUUID(), ...overrides });
  const ledger = (customerId: string) => db().select().from(customerBalanceTransactions).where(eq(customerBalanceTransactions.customerId, customerId)).orderBy(asc(customerBalanceTransactions.createdAt));
  const audits = (customerId: string) => db().select().from(auditLog).where(and(eq(auditLog.entityId, customerId), eq(auditLog.action, 'customer.goodwill_credit')));

  it('credits once per idempotency key, sequentially or at once, and audits the credit once', async () => {
    const user = await createUser(db());
    const customer = await ensureCustomer(db(), user.id);
    const first = credit(customer.id);
    const granted = await grantGoodwillCredit(db(), admin, first);
    expect(granted).toMatchObject({ credited: true, balance: 1500, transaction: { type: 'goodwill_credit', amount: 1500, currency: 'USD', description: 'Sorry for the outage' } });
    expect(await grantGoodwillCredit(db(), admin, first)).toMatchObject({ credited: false, balance: 1500, transaction: { id: granted.transaction.id } });

    // A double submit arriving together: one credit.
    const second = credit(customer.id, { amount: 250 });
    const together = await Promise.all([grantGoodwillCredit(db(), admin, second), grantGoodwillCredit(db(), admin, second), grantGoodwillCredit(db(), admin, second)]);
    expect(together.filter((r) => r.credited)).toHaveLength(1);
    expect(await creditBalance(db(), customer.id, 'USD')).toBe(1750);
    expect((await ledger(customer.id)).map((t) => t.amount)).toEqual([1500, 250]);

    const entries = await audits(customer.id);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actorType: 'user', actorId: admin, entityType: 'customer', before: { balance: { currency: 'USD', amount: 0 } }, after: { balance: { currency: 'USD', amount: 1500 } }, metadata: { amount: 1500, currency: 'USD', reason: 'Sorry for the outage', transactionId: granted.transaction.id } });

    // The same key with another amount is a mistake, not a second credit.
    await expect(grantGoodwillCredit(db(), admin, { ...first, amount: 9900 })).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    expect(await creditBalance(db(), customer.id, 'USD')).toBe(1750);
  });

  it('refuses a zero or negative amount, a currency the catalog does not bill in, and an unknown customer, crediting nothing', async () => {
    const user = await createUser(db());
    const customer = await ensureCustomer(db(), user.id);
    await expect(grantGoodwillCredit(db(), admin, credit(customer.id, { amount: 0 }))).rejects.toMatchObject({ code: 'invalid_amount' });
    await expect(grantGoodwillCredit(db(), admin, credit(customer.id, { amount: -500 }))).rejects.toMatchObject({ code: 'invalid_amount' });
    await expect(grantGoodwillCredit(db(), admin, credit(customer.id, { amount: 12.5 }))).rejects.toMatchObject({ code: 'invalid_amount' });
    await expect(grantGoodwillCredit(db(), admin, credit(customer.id, { currency: 'GBP' }))).rejects.toMatchObject({ code: 'currency_not_billed', message: 'GBP is not a currency this app bills in (EUR, USD): a credit in it could never be used.' });
    await expect(grantGoodwillCredit(db(), admin, credit(randomUUID()))).rejects.toMatchObject({ code: 'customer_not_found' });
    expect(await ledger(customer.id)).toHaveLength(0);
    expect(await audits(customer.id)).toHaveLength(0);
  });

  it('the next invoices in that currency use the credit first; another currency keeps its own', async () => {
    const user = await createUser(db());
    const at = new Date('2027-04-30T12:00:00Z');
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), 'starter_month_usd'), quantity: 1, provider: 'stripe' }, at);
    const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at, { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    const customer = await ensureCustomer(db(), user.id);

    const fields = form({ customerId: customer.id, amount: '15.00', reason: 'Outage credit' });
    const parsed = parseGoodwillCreditForm(fields);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await grantGoodwillCredit(db(), admin, parsed.credit);
    await grantGoodwillCredit(db(), admin, parsed.credit);
    await grantGoodwillCredit(db(), admin, credit(customer.id, { currency: 'EUR', amount: 500 }));

    const deps = { db: db(), boss: env.t.boss, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: [] }, settings: testBillingSettings };
    const bills = () => db().select().from(invoices).where(eq(invoices.subscriptionId, sub.id)).orderBy(asc(invoices.periodStart));
    // $9.00 due, all of it from the $15.00 credit (granted once): paid at once, $6.00 left.
    await runBilling(deps, sub.currentPeriodEnd);
    expect((await bills())[0]).toMatchObject({ total: 900, creditApplied: 900, amountDue: 0, status: 'paid' });
    const renewed = (await db().select().from(subscriptions).where(eq(subscriptions.id, sub.id)))[0];
    await runBilling(deps, renewed.currentPeriodEnd);
    expect((await bills())[1]).toMatchObject({ total: 900, creditApplied: 600, amountDue: 300, status: 'open' });

    // The admin's view: the EUR credit untouched, the USD one spent, every entry in the ledger.
    const detail = await customerForAdmin(db(), customer.id);
    expect(detail?.balances).toEqual([{ currency: 'EUR', amount: 500 }]);
    expect(detail?.ledger.map((t) => [t.type, t.currency, t.amount]).sort()).toEqual(
      [
        ['applied_to_invoice', 'USD', -600],
        ['applied_to_invoice', 'USD', -900],
        ['goodwill_credit', 'EUR', 500],
        ['goodwill_credit', 'USD', 1500],
      ].sort(),
    );
    expect(detail?.invoices.map((i) => i.creditApplied).sort()).toEqual([600, 900]);
  });
});
