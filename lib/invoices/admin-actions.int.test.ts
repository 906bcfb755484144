/**
 * The admin's invoice actions against the sandbox: refunds through Stripe and PayPal whose webhooks
 * arrive after (or before) and add nothing, a credit to the balance that the next renewal uses, voiding
 * and writing off open invoices, every illegal action refused with the state unchanged, and credit note
 * numbers that stay gapless when many are issued at once.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, paymentMethods, payments, providerCustomers, refunds, subscriptions } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { creditInvoiceToBalance, markInvoiceUncollectible, refundInvoice, voidInvoice, type CreditRequest } from './admin-actions';
import { adminInvoiceFilterSchema, invoiceForAdmin, listInvoicesForAdmin } from './admin-queries';
import { recordBalanceTransaction } from './balance';
import { chargeInvoice, settleInvoicePayment } from './charge';
import { InvoiceActionError, type InvoiceActionErrorCode } from './correction-rules';
import { invoiceFixtures } from './credit-notes.fixtures';

const admin = { type: 'user', id: 'admin-1' } as const;

describe(`admin invoice actions (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const f = invoiceFixtures(env);

  const request = (invoice: { id: string; currency: string }, amount: number, extra: Partial<CreditRequest> = {}): CreditRequest => ({
    invoiceId: invoice.id,
    amount,
    currency: invoice.currency,
    reason: null,
    memo: null,
    requestKey: randomUUID(),
    actor: admin,
    now: new Date(),
    ...extra,
  });

  /** The action is refused with `code`, and the invoice and everything around it are as they were. */
  async function refusedWithoutChange(invoice: Parameters<typeof f.stateOf>[0], code: InvoiceActionErrorCode, action: () => Promise<unknown>) {
    const before = await f.stateOf(invoice);
    const error = await action().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvoiceActionError);
    expect((error as InvoiceActionError).code).toBe(code);
    expect(await f.stateOf(invoice)).toEqual(before);
    return (error as InvoiceActionError).message;
  }

  const stripeRefundsOf = async (intentId: string) => (await env.gateways.stripe.refunds.list({ payment_intent: intentId, limit: 100 })).data;

  it('refunds part of a paid invoice through Stripe; the refund webhook afterwards and a repeated submit add nothing', async () => {
    const { invoice, payment, user } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-04-02T10:00:00Z') });
    const ask = request(invoice, 400, { reason: 'product_unsatisfactory', memo: 'Outage on the 3rd' });
    const result = await refundInvoice(f.adminDeps(), ask);
    expect(result.created).toBe(true);
    expect(result.refund).toMatchObject({ amount: 400, status: 'succeeded', paymentId: payment.id });
    expect(result.creditNote).toMatchObject({ amount: 400, settlement: 'refund', refundId: result.refund.id, reason: 'product_unsatisfactory', memo: 'Outage on the 3rd', status: 'issued' });
    const atStripe = await stripeRefundsOf(payment.providerPaymentId);
    expect(atStripe).toHaveLength(1);
    expect(atStripe[0]).toMatchObject({ id: result.refund.providerRefundId, amount: 400, reason: 'requested_by_customer', metadata: { invoice_id: invoice.id } });

    // The same form submitted again: the same refund, nothing new anywhere.
    const again = await refundInvoice(f.adminDeps(), ask);
    expect(again).toMatchObject({ created: false, refund: { id: result.refund.id }, creditNote: { id: result.creditNote!.id } });
    expect(await stripeRefundsOf(payment.providerPaymentId)).toHaveLength(1);

    // Stripe's webhook for the refund arrives after: recorded already, no second credit note.
    const event = await f.deliverChargeRefunded(payment);
    expect(event.status).toBe('processed');
    expect(await f.creditNotesOf(invoice.id)).toHaveLength(1);
    expect(await f.db().select().from(refunds).where(eq(refunds.paymentId, payment.id))).toHaveLength(1);

    const audit = await f.db().select().from(auditLog).where(eq(auditLog.entityId, invoice.id));
    expect(audit.filter((a) => a.action === 'invoice.refunded')).toMatchObject([{ actorType: 'user', actorId: 'admin-1', after: { amount: 400, status: 'succeeded' } }]);
    expect(audit.filter((a) => a.action === 'credit_note.issued')).toMatchObject([{ actorType: 'user', actorId: 'admin-1' }]);
    expect((await f.emailsTo(user.email)).filter((e) => e.template === 'credit_note_issued')).toHaveLength(1);

    // The same key with another amount is refused; so is more than is left (5.36), before Stripe is asked.
    await refusedWithoutChange(invoice, 'request_key_reused', () => refundInvoice(f.adminDeps(), { ...ask, amount: 500 }));
    const message = await refusedWithoutChange(invoice, 'exceeds_amount_paid', () => refundInvoice(f.adminDeps(), request(invoice, 537)));
    expect(message).toBe(`Invoice ${invoice.number} had $9.36 paid and $4.00 already credited: at most $5.36 can be credited, not $5.37.`);
    expect(await stripeRefundsOf(payment.providerPaymentId)).toHaveLength(1);

    // The rest, exactly.
    const rest = await refundInvoice(f.adminDeps(), request(invoice, 536));
    expect(rest.creditNote?.amount).toBe(536);
    expect((await f.creditNotesOf(invoice.id)).reduce((sum, n) => sum + n.amount, 0)).toBe(invoice.amountPaid);
  });

  it('issues one credit note when the webhook recorded the refund first (the admin retries after a lost answer)', async () => {
    const { invoice, payment } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-04-20T10:00:00Z') });
    const ask = request(invoice, 400, { reason: 'duplicate' });
    // The first attempt reached Stripe, then its answer was lost; Stripe's webhook was processed meanwhile.
    await env.gateways.stripe.refunds.create(
      { payment_intent: payment.providerPaymentId, amount: 400, reason: 'duplicate', metadata: { invoice_id: invoice.id } },
      { idempotencyKey: `admin-refund:${invoice.id}:${ask.requestKey}` },
    );
    await f.deliverChargeRefunded(payment);
    const [fromWebhook] = await f.creditNotesOf(invoice.id);
    expect(fromWebhook).toMatchObject({ amount: 400, reason: 'duplicate', memo: null });

    // The retry gets the same refund from Stripe (same key), finds it recorded, and issues nothing more.
    const retry = await refundInvoice(f.adminDeps(), ask);
    expect(retry).toMatchObject({ created: false, refund: { id: fromWebhook.refundId }, creditNote: { id: fromWebhook.id } });
    expect(await f.refundRequestCount(invoice.id)).toBe(1);
    expect(await refundInvoice(f.adminDeps(), ask)).toMatchObject({ created: false, creditNote: { id: fromWebhook.id } });
    expect(await stripeRefundsOf(payment.providerPaymentId)).toHaveLength(1);
    expect(await f.creditNotesOf(invoice.id)).toHaveLength(1);
  });

  it('refunds a PayPal renewal through its capture; the webhook afterwards adds nothing', async () => {
    const { invoice, payment } = await f.paidInvoice({ provider: 'paypal', at: new Date('2026-05-06T12:00:00Z'), lookupKey: 'starter_month_eur' });
    const result = await refundInvoice(f.adminDeps(), request(invoice, 300, { reason: 'order_change' }));
    expect(result.refund).toMatchObject({ provider: 'paypal', amount: 300, currency: 'EUR', status: 'succeeded' });
    expect(result.creditNote).toMatchObject({ amount: 300, reason: 'order_change', settlement: 'refund' });
    const capture = await env.gateways.paypal.request<{ status: string }>('GET', `/v2/payments/captures/${payment.providerChargeId}`);
    expect(capture.status).toBe('PARTIALLY_REFUNDED');

    await f.deliver('paypal', 'PAYMENT.CAPTURE.REFUNDED', { id: result.refund.providerRefundId });
    expect(await f.creditNotesOf(invoice.id)).toHaveLength(1);
    expect(await f.db().select().from(refunds).where(eq(refunds.paymentId, payment.id))).toHaveLength(1);
  });

  it("credits a paid invoice to the customer's balance once, and the next renewal uses that credit first", async () => {
    const { invoice, customer, sub, user } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-06-15T08:00:00Z') });
    const ask = request(invoice, 500, { reason: 'order_change', memo: 'Goodwill for the migration' });
    const { creditNote, created } = await creditInvoiceToBalance(f.adminDeps(), ask);
    expect(created).toBe(true);
    expect(creditNote).toMatchObject({ amount: 500, settlement: 'credit_balance', refundId: null, reason: 'order_change', status: 'issued' });
    const entries = await f.balanceEntries(customer.id);
    expect(entries).toMatchObject([{ id: creditNote.balanceTransactionId, amount: 500, type: 'credit_note', invoiceId: invoice.id }]);

    // The same form again: a no-op.
    expect(await creditInvoiceToBalance(f.adminDeps(), ask)).toMatchObject({ created: false, creditNote: { id: creditNote.id } });
    expect(await f.balanceOf(customer.id)).toBe(500);
    expect((await f.emailsTo(user.email)).filter((e) => e.template === 'credit_note_issued')).toHaveLength(1);

    const next = await f.renew(sub.id);
    expect(next).toMatchObject({ status: 'open', total: 936, creditApplied: 500, amountDue: 436 });
    expect(await f.balanceOf(customer.id)).toBe(0);
    // What was credited counts against what the refund may give back.
    expect(await f.invoiceRow(invoice.id)).toEqual(invoice);
    await refusedWithoutChange(invoice, 'exceeds_amount_paid', () => refundInvoice(f.adminDeps(), request(invoice, 437)));
  });

  it("voids an open invoice: nothing is owed, a later charge finds nothing due, the credit it used goes back; again is a no-op", async () => {
    const { sub, customer } = await f.subscribe({ provider: 'stripe', at: new Date('2026-07-01T09:00:00Z') });
    await recordBalanceTransaction(f.db(), { customerId: customer.id, currency: 'USD', amount: 200, type: 'goodwill_credit', description: 'Goodwill', idempotencyKey: `goodwill:${customer.id}` });
    const invoice = await f.renew(sub.id);
    expect(invoice).toMatchObject({ status: 'open', creditApplied: 200, amountDue: 736 });
    expect(await f.balanceOf(customer.id)).toBe(0);

    const now = new Date('2026-08-02T09:00:00Z');
    const { invoice: voided, changed } = await voidInvoice(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now });
    expect(changed).toBe(true);
    expect(voided).toMatchObject({ status: 'void', voidedAt: now, amountDue: 736, amountPaid: 0, number: invoice.number });
    expect(await f.balanceOf(customer.id)).toBe(200);
    expect(await chargeInvoice(f.billingDeps(), { invoiceId: invoice.id, attempt: 1 }, now)).toBe('nothing_due');
    expect(await f.db().select().from(payments).where(eq(payments.description, `Invoice ${invoice.number}`))).toHaveLength(0);

    const repeat = await voidInvoice(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now: new Date() });
    expect(repeat).toMatchObject({ changed: false, invoice: { status: 'void', voidedAt: now } });
    expect(await f.balanceOf(customer.id)).toBe(200);
    expect(await f.db().select().from(auditLog).where(and(eq(auditLog.entityId, invoice.id), eq(auditLog.action, 'invoice.voided')))).toMatchObject([
      { actorType: 'user', actorId: 'admin-1', before: { status: 'open', amountRemaining: 736 }, after: { status: 'void', creditReturned: 200 } },
    ]);

    const voidRow = await f.invoiceRow(invoice.id);
    await refusedWithoutChange(voidRow, 'wrong_status', () => markInvoiceUncollectible(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now: new Date() }));
    await refusedWithoutChange(voidRow, 'wrong_status', () => creditInvoiceToBalance(f.adminDeps(), request(invoice, 100)));
    await refusedWithoutChange(voidRow, 'wrong_status', () => refundInvoice(f.adminDeps(), request(invoice, 100)));
  });

  it('voiding an invoice whose payment waits for 3-D Secure cancels that payment at Stripe first', async () => {
    // A card whose bank asks for 3-D Secure on every charge, confirmed by the customer at checkout.
    const user = await createUser(f.db());
    const at = new Date('2026-07-05T09:00:00Z');
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(f.db(), 'starter_month_usd'), quantity: 1, provider: 'stripe' }, at);
    const checkout = await checkoutOfUser(f.db(), user.id, started.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_authenticationRequired' });
    await env.sb.control('stripe/authenticate', { intent: checkout.providerIntentId, outcome: 'complete' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, at, { type: 'user', id: user.id });
    const [sub] = await f.db().select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
    const invoice = await f.renew(sub.id);
    expect(await chargeInvoice(f.billingDeps(), { invoiceId: invoice.id, attempt: 1 }, sub.currentPeriodEnd)).toBe('action_required');
    const [waiting] = await f.db().select().from(payments).where(eq(payments.id, (await f.invoiceRow(invoice.id)).paymentId!));
    expect(waiting.status).toBe('requires_action');

    expect(await voidInvoice(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now: new Date('2026-08-06T09:00:00Z') })).toMatchObject({ changed: true, invoice: { status: 'void' } });
    expect((await f.adminDeps().gateways.stripe.paymentIntents.retrieve(waiting.providerPaymentId)).status).toBe('canceled');
    const [after] = await f.db().select().from(payments).where(eq(payments.id, waiting.id));
    expect(after.status).toBe('canceled');
  });

  it('voiding an invoice after a declined charge cancels that payment, so the pay page cannot take money for it', async () => {
    const { sub } = await f.subscribe({ provider: 'stripe', at: new Date('2026-07-06T09:00:00Z') });
    const invoice = await f.renew(sub.id);
    // The saved card starts declining before the renewal is charged.
    const [method] = await f.db().select().from(paymentMethods).where(eq(paymentMethods.customerId, sub.customerId));
    await f.db().update(paymentMethods).set({ providerPaymentMethodId: (await env.gateways.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: (await f.db().select().from(providerCustomers).where(eq(providerCustomers.customerId, sub.customerId)))[0].providerCustomerId })).id }).where(eq(paymentMethods.id, method.id));
    expect(await chargeInvoice(f.billingDeps(), { invoiceId: invoice.id, attempt: 1 }, sub.currentPeriodEnd)).toBe('failed');
    const [declined] = await f.db().select().from(payments).where(eq(payments.id, (await f.invoiceRow(invoice.id)).paymentId!));
    expect(declined.status).toBe('failed');

    await voidInvoice(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now: new Date('2026-08-07T09:00:00Z') });
    expect((await env.gateways.stripe.paymentIntents.retrieve(declined.providerPaymentId)).status).toBe('canceled');
    await expect(env.gateways.stripe.paymentIntents.confirm(declined.providerPaymentId, { payment_method: 'pm_card_visa' })).rejects.toThrow();
  });

  it('money taken for an invoice voided meanwhile is recorded, with an audit entry, so it can be refunded', async () => {
    const { invoice } = await f.openInvoice({ provider: 'stripe', at: new Date('2026-07-07T09:00:00Z') });
    await voidInvoice(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now: new Date('2026-08-08T09:00:00Z') });
    // A charge that was already on its way when the invoice was voided.
    const report = { provider: 'stripe' as const, providerPaymentId: 'pi_in_flight_1', providerChargeId: 'ch_in_flight_1', status: 'succeeded' as const };
    expect(await f.db().transaction((tx) => settleInvoicePayment(tx, f.billingDeps(), invoice.id, report, new Date()))).toBe('nothing_due');
    const [payment] = await f.db().select().from(payments).where(eq(payments.providerPaymentId, 'pi_in_flight_1'));
    expect(payment).toMatchObject({ status: 'succeeded', amount: invoice.amountDue, customerId: invoice.customerId });
    expect(await f.db().select().from(auditLog).where(and(eq(auditLog.entityId, invoice.id), eq(auditLog.action, 'invoice.payment_after_close')))).toHaveLength(1);
    expect((await f.invoiceRow(invoice.id)).status).toBe('void');
  });

  it('marks an open invoice uncollectible: no more charges; again is a no-op; it can no longer be voided', async () => {
    const { invoice } = await f.openInvoice({ provider: 'stripe', at: new Date('2026-07-10T09:00:00Z') });
    const now = new Date('2026-08-11T09:00:00Z');
    expect(await markInvoiceUncollectible(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now })).toMatchObject({ changed: true, invoice: { status: 'uncollectible', voidedAt: null } });
    expect(await chargeInvoice(f.billingDeps(), { invoiceId: invoice.id, attempt: 1 }, now)).toBe('nothing_due');
    expect(await markInvoiceUncollectible(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now })).toMatchObject({ changed: false });
    const row = await f.invoiceRow(invoice.id);
    const message = await refusedWithoutChange(row, 'wrong_status', () => voidInvoice(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now }));
    expect(message).toBe(`Invoice ${invoice.number}: only an open invoice can be voided, and this one is marked uncollectible.`);
  });

  it('refuses every illegal action and leaves everything as it was', async () => {
    const { invoice, payment } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-09-09T09:00:00Z') });
    const now = new Date();
    expect(await refusedWithoutChange(invoice, 'wrong_status', () => voidInvoice(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now }))).toBe(
      `Invoice ${invoice.number}: only an open invoice can be voided, and this one is paid (issue a credit note or a refund instead).`,
    );
    await refusedWithoutChange(invoice, 'wrong_status', () => markInvoiceUncollectible(f.adminDeps(), { invoiceId: invoice.id, actor: admin, now }));
    await refusedWithoutChange(invoice, 'exceeds_amount_paid', () => creditInvoiceToBalance(f.adminDeps(), request(invoice, 937)));
    await refusedWithoutChange(invoice, 'invalid_amount', () => creditInvoiceToBalance(f.adminDeps(), request(invoice, 0)));
    await refusedWithoutChange(invoice, 'invalid_amount', () => creditInvoiceToBalance(f.adminDeps(), request(invoice, -100)));
    await refusedWithoutChange(invoice, 'invalid_amount', () => refundInvoice(f.adminDeps(), request(invoice, 0)));
    await refusedWithoutChange(invoice, 'currency_mismatch', () => creditInvoiceToBalance(f.adminDeps(), request(invoice, 100, { currency: 'EUR' })));
    await refusedWithoutChange(invoice, 'currency_mismatch', () => refundInvoice(f.adminDeps(), request(invoice, 100, { currency: 'EUR' })));
    await refusedWithoutChange(invoice, 'exceeds_amount_paid', () => refundInvoice(f.adminDeps(), request(invoice, 937)));
    expect(await stripeRefundsOf(payment.providerPaymentId)).toHaveLength(0);
    await refusedWithoutChange(invoice, 'not_found', () => refundInvoice(f.adminDeps(), request({ id: randomUUID(), currency: 'USD' }, 100)));
    await refusedWithoutChange(invoice, 'not_found', () => creditInvoiceToBalance(f.adminDeps(), request({ id: 'INV-2026-000001', currency: 'USD' }, 100)));
    await refusedWithoutChange(invoice, 'not_found', () => voidInvoice(f.adminDeps(), { invoiceId: randomUUID(), actor: admin, now }));

    // An open invoice takes no credit note or refund.
    const { invoice: open } = await f.openInvoice({ provider: 'stripe', at: new Date('2026-09-10T09:00:00Z') });
    await refusedWithoutChange(open, 'wrong_status', () => creditInvoiceToBalance(f.adminDeps(), request(open, 100)));
    await refusedWithoutChange(open, 'wrong_status', () => refundInvoice(f.adminDeps(), request(open, 100)));

    // An invoice that credit paid whole has no payment to refund, and nothing paid to credit.
    const { sub, customer } = await f.subscribe({ provider: 'stripe', at: new Date('2026-09-11T09:00:00Z') });
    await recordBalanceTransaction(f.db(), { customerId: customer.id, currency: 'USD', amount: 5000, type: 'goodwill_credit', description: 'Goodwill', idempotencyKey: `goodwill:${customer.id}` });
    const covered = await f.renew(sub.id);
    expect(covered).toMatchObject({ status: 'paid', amountDue: 0, amountPaid: 0, paymentId: null });
    await refusedWithoutChange(covered, 'no_refundable_payment', () => refundInvoice(f.adminDeps(), request(covered, 100)));
    await refusedWithoutChange(covered, 'exceeds_amount_paid', () => creditInvoiceToBalance(f.adminDeps(), request(covered, 100)));
  });

  it('keeps credit note numbers gapless when many are issued at once, some of them refused', async () => {
    const a = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-10-01T09:00:00Z') });
    const b = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-10-02T09:00:00Z') });
    // A year of its own, so this test's credit notes are the only ones numbered under it.
    const now = new Date('2031-03-01T00:00:00Z');
    const attempts = [a, b, a, b, a, b, a, b, a, b, a, b].map(({ invoice }) => creditInvoiceToBalance(f.adminDeps(), request(invoice, 200, { now })));
    const results = await Promise.allSettled(attempts);
    const issued = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.creditNote] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as InvoiceActionError] : []));
    // $9.36 paid on each: four credits of $2.00 fit, the fifth would not.
    expect(issued).toHaveLength(8);
    expect(refused.map((e) => e.code)).toEqual(Array(4).fill('exceeds_amount_paid'));
    expect(issued.map((n) => n.number).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `CN-2031-${String(i + 1).padStart(6, '0')}`));
    for (const { invoice } of [a, b]) expect((await f.creditNotesOf(invoice.id)).reduce((sum, n) => sum + n.amount, 0)).toBe(800);
  });

  it("lists invoices for the admin (newest first, by status, by number or email, a page at a time) and shows one with what surrounds it", async () => {
    const { invoice, user, payment } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-11-03T09:00:00Z') });
    await refundInvoice(f.adminDeps(), request(invoice, 100));
    const list = (query: Record<string, string>, pageSize?: number) => listInvoicesForAdmin(f.db(), adminInvoiceFilterSchema.parse(query), pageSize);

    expect((await list({ q: user.email.toUpperCase() })).invoices).toMatchObject([{ id: invoice.id, number: invoice.number, customerEmail: user.email, credited: 100, amountPaid: 936 }]);
    expect((await list({ q: invoice.number! })).invoices.map((i) => i.id)).toEqual([invoice.id]);
    expect((await list({ q: '%' })).invoices).toEqual([]);
    const paidOnes = await list({ status: 'paid' });
    expect(paidOnes.invoices.length).toBeGreaterThan(0);
    expect(paidOnes.invoices.every((i) => i.status === 'paid')).toBe(true);
    expect(paidOnes.total).toBe(paidOnes.statusCounts.paid);

    for (const day of [4, 5]) await f.openInvoice({ provider: 'stripe', at: new Date(`2026-11-0${day}T09:00:00Z`) });
    const pages = [await list({}, 1), await list({ page: '2' }, 1), await list({ page: '3' }, 1)];
    expect(pages[0].pageCount).toBe(pages[0].total);
    expect(pages[0].total).toBeGreaterThanOrEqual(3);
    const shown = pages.flatMap((p) => p.invoices);
    expect(new Set(shown.map((i) => i.id)).size).toBe(3);
    expect(shown.map((i) => i.createdAt.getTime())).toEqual([...shown.map((i) => i.createdAt.getTime())].sort((x, y) => y - x));
    // Nonsense in the query string falls back to no filter and the first page.
    expect(adminInvoiceFilterSchema.parse({ status: 'bogus', page: 'x', q: '  ' })).toEqual({ page: 1 });

    const detail = await invoiceForAdmin(f.db(), invoice.id);
    expect(detail).toMatchObject({
      customer: { email: user.email },
      payment: { id: payment.id, status: 'succeeded' },
      refunds: [{ amount: 100 }],
      creditNotes: [{ amount: 100, settlement: 'refund' }],
      credited: 100,
      creditable: 836,
      allowed: { void: false, markUncollectible: false, credit: true, refund: true },
    });
    expect(detail!.lines.map((l) => l.kind)).toEqual(['subscription', 'tax']);
    expect(detail!.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['invoice.paid', 'refund.recorded', 'credit_note.issued', 'invoice.refunded']));
    expect(await invoiceForAdmin(f.db(), 'not-an-id')).toBeNull();
    expect(await invoiceForAdmin(f.db(), randomUUID())).toBeNull();
  });
});
