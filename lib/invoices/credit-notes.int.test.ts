/**
 * Refunds produce credit notes: a refund of the payment that paid an invoice, reported by its webhook
 * (Stripe or PayPal), issues one credit note, once, however often the event comes; a refund that fails
 * later voids it; one beyond what is left to credit is capped; a refund of a checkout payment (no
 * invoice) issues none. The invoice itself never changes, and its HTML view and PDF show the credit notes.
 */
import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, checkouts, creditNotes, payments, refunds } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { checkoutDepsOf, createUser, priceIdOf, seedCheckoutCatalog } from '@/test/checkout';
import { backendPid, sessionsBlockedBy, testDatabaseKind } from '@/test/database';
import { useDatabaseAndSandbox } from '@/test/sandbox';
import { recordRefundReport } from '@/lib/payments/records';
import { paymentReportFromIntent, retrieveIntentForReport } from '@/lib/payments/stripe/reports';
import { creditInvoiceToBalance } from './admin-actions';
import { settleInvoicePayment } from './charge';
import { lockInvoice } from './credit-notes';
import { invoiceFixtures } from './credit-notes.fixtures';
import { invoiceDocument } from './document';
import { renderInvoicePdf } from './pdf';
import { presentInvoice } from './presentation';

/** The text a pdfkit PDF shows: its content streams inflated, the hex strings of its text operators decoded. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const texts: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))).toString('latin1');
    } catch {
      continue; // not a deflated stream (metadata): no page text in it
    }
    for (const [, hex] of content.matchAll(/<([0-9a-f]+)>/g)) texts.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return texts.join('');
}

describe(`credit notes from refunds (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();
  beforeAll(async () => seedCheckoutCatalog(env.t.handle.db));
  const f = invoiceFixtures(env);
  const seller = { name: 'Example SaaS Inc.', address: ['1 Market Street'], taxId: null };

  it('a partial then a full Stripe refund each issue one credit note; replayed events issue nothing more; the invoice stays as it was', async () => {
    const { invoice, payment, customer, user } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-01-10T09:00:00Z') });
    expect(invoice).toMatchObject({ status: 'paid', total: 936, amountPaid: 936 });

    const partial = await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId, amount: 300, reason: 'duplicate' });
    const first = await f.deliverChargeRefunded(payment);
    expect(first.status).toBe('processed');
    const [note] = await f.creditNotesOf(invoice.id);
    const [refund] = await f.db().select().from(refunds).where(eq(refunds.providerRefundId, partial.id));
    expect(note).toMatchObject({ amount: 300, currency: 'USD', status: 'issued', settlement: 'refund', refundId: refund.id, balanceTransactionId: null, reason: 'duplicate', customerId: customer.id, idempotencyKey: `refund:stripe:${partial.id}` });
    expect(note.number).toMatch(/^CN-\d{4}-\d{6}$/);

    // The same event again, and a fresh event about the same charge: nothing new.
    await f.deliverChargeRefunded(payment);
    await f.deliverChargeRefunded(payment);
    expect(await f.creditNotesOf(invoice.id)).toHaveLength(1);

    // The rest, refunded in full.
    await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId });
    await f.deliverChargeRefunded(payment);
    await f.deliverChargeRefunded(payment);
    const notes = await f.creditNotesOf(invoice.id);
    expect(notes.map((n) => [n.amount, n.status, n.reason])).toEqual([
      [300, 'issued', 'duplicate'],
      [636, 'issued', null],
    ]);
    expect(new Set(notes.map((n) => n.number)).size).toBe(2);

    // The invoice is immutable: credit notes sit beside it.
    const after = await f.invoiceRow(invoice.id);
    expect(after).toEqual(invoice);
    const audit = await f.db().select().from(auditLog).where(and(eq(auditLog.entityId, invoice.id), eq(auditLog.action, 'credit_note.issued')));
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorType: 'provider', actorId: 'stripe' });
    expect((await f.emailsTo(user.email)).filter((e) => e.subject.startsWith('Credit note'))).toHaveLength(2);

    // The invoice as its customer reads it: the credit notes, what was credited and the net.
    const shown = presentInvoice(await invoiceDocument(f.db(), seller, { id: user.id, role: 'customer' }, invoice.id));
    expect(shown.creditNotes).toEqual([
      { number: notes[0].number, issued: expect.any(String), amount: '−$3.00', reason: 'Duplicate charge', settledBy: 'Refunded to card', void: false },
      { number: notes[1].number, issued: expect.any(String), amount: '−$6.36', reason: null, settledBy: 'Refunded to card', void: false },
    ]);
    expect(shown.totals.slice(-3)).toEqual([
      { label: 'Amount remaining', amount: '$0.00', strong: true },
      { label: 'Amount credited', amount: '−$9.36' },
      { label: 'Net after credit notes', amount: '$0.00', strong: true },
    ]);
    const pdf = await renderInvoicePdf(shown);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain(`Amount credited-$9.36`);
    expect(text).toContain(`${notes[0].number}`);
    expect(text).toContain('Duplicate charge · Refunded to card-$3.00');
  });

  it('a refund that fails later voids its credit note, and the invoice shows nothing credited', async () => {
    const { invoice, payment, user } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-02-03T09:00:00Z'), paymentMethod: 'pm_card_refundFail' });
    const refund = await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId, amount: 500 });
    expect(refund.status).toBe('succeeded');
    await f.deliverChargeRefunded(payment);
    const [issued] = await f.creditNotesOf(invoice.id);
    expect(issued).toMatchObject({ amount: 500, status: 'issued', voidedAt: null });

    await env.sb.control('clock/advance', { seconds: 120 });
    expect((await env.gateways.stripe.refunds.retrieve(refund.id)).status).toBe('failed');
    const event = await f.deliver('stripe', 'charge.refund.updated', { id: refund.id, object: 'refund', charge: payment.providerChargeId });
    expect(event.status).toBe('processed');
    const [voided] = await f.creditNotesOf(invoice.id);
    expect(voided).toMatchObject({ id: issued.id, number: issued.number, status: 'void' });
    expect(voided.voidedAt).toBeInstanceOf(Date);
    const audit = await f.db().select().from(auditLog).where(and(eq(auditLog.entityId, invoice.id), eq(auditLog.action, 'credit_note.voided')));
    expect(audit).toMatchObject([{ after: { status: 'void', number: issued.number }, metadata: { failureReason: 'expired_or_canceled_card' } }]);

    // An older charge.refunded replayed neither revives the refund nor issues another credit note.
    await f.deliverChargeRefunded(payment);
    expect(await f.creditNotesOf(invoice.id)).toMatchObject([{ id: issued.id, status: 'void' }]);

    const shown = presentInvoice(await invoiceDocument(f.db(), seller, { id: user.id, role: 'customer' }, invoice.id));
    expect(shown.creditNotes).toMatchObject([{ number: issued.number, void: true }]);
    expect(shown.totals.find((t) => t.label === 'Amount credited')?.amount).toBe('$0.00');
    expect(shown.totals.find((t) => t.label === 'Net after credit notes')?.amount).toBe('$9.36');

    // The whole amount is creditable again: a new refund of all of it issues a full credit note.
    await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId });
    await f.deliverChargeRefunded(payment);
    expect((await f.creditNotesOf(invoice.id)).map((n) => [n.amount, n.status])).toEqual([
      [500, 'void'],
      [936, 'issued'],
    ]);
  });

  it('a refund made at the provider beyond what is left to credit is recorded; its credit note is capped, and past that none is issued', async () => {
    const { invoice, payment } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-02-20T09:00:00Z') });
    await creditInvoiceToBalance(f.adminDeps(), { invoiceId: invoice.id, amount: 500, currency: 'USD', reason: null, memo: null, requestKey: randomUUID(), actor: { type: 'user', id: 'admin-1' }, now: new Date() });
    // Someone refunds the whole charge in the provider's dashboard: the money has moved, so the refund is recorded.
    const whole = await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId });
    await f.deliverChargeRefunded(payment);
    expect(await f.db().select().from(refunds).where(eq(refunds.providerRefundId, whole.id))).toMatchObject([{ amount: 936, status: 'succeeded' }]);
    const notes = await f.creditNotesOf(invoice.id);
    expect(notes.map((n) => [n.settlement, n.amount])).toEqual([
      ['credit_balance', 500],
      ['refund', 436],
    ]);
    expect(notes[1].memo).toBe(`Refund ${whole.id} of $9.36 exceeded what was left to credit on the invoice.`);
    expect(notes.reduce((sum, n) => sum + n.amount, 0)).toBe(invoice.amountPaid);
  });

  it('a refund when everything paid is already credited issues no credit note, and the audit log says why', async () => {
    const { invoice, payment } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-02-21T09:00:00Z') });
    await creditInvoiceToBalance(f.adminDeps(), { invoiceId: invoice.id, amount: 936, currency: 'USD', reason: null, memo: null, requestKey: randomUUID(), actor: { type: 'user', id: 'admin-1' }, now: new Date() });
    await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId, amount: 100 });
    expect((await f.deliverChargeRefunded(payment)).status).toBe('processed');
    expect(await f.creditNotesOf(invoice.id)).toMatchObject([{ settlement: 'credit_balance', amount: 936 }]);
    const audit = await f.db().select().from(auditLog).where(and(eq(auditLog.entityId, invoice.id), eq(auditLog.action, 'credit_note.not_issued')));
    expect(audit).toMatchObject([{ actorType: 'provider', metadata: { refundAmount: 100, why: `Invoice ${invoice.number} had $9.36 paid and $9.36 already credited: at most $0.00 can be credited, not $1.00.` } }]);
  });

  it('a PayPal refund of a renewal issues a credit note, once', async () => {
    const { invoice, payment } = await f.paidInvoice({ provider: 'paypal', at: new Date('2026-03-05T12:00:00Z'), lookupKey: 'starter_month_eur' });
    expect(payment.provider).toBe('paypal');
    const refund = await env.gateways.paypal.request<{ id: string }>('POST', `/v2/payments/captures/${payment.providerChargeId}/refund`, {
      body: { amount: { currency_code: invoice.currency, value: '2.50' } },
      requestId: `test-refund-${invoice.id}`,
    });
    await f.deliver('paypal', 'PAYMENT.CAPTURE.REFUNDED', { id: refund.id });
    await f.deliver('paypal', 'PAYMENT.CAPTURE.REFUNDED', { id: refund.id });
    const notes = await f.creditNotesOf(invoice.id);
    expect(notes).toMatchObject([{ amount: 250, currency: invoice.currency, settlement: 'refund', status: 'issued', idempotencyKey: `refund:paypal:${refund.id}` }]);
    const shown = presentInvoice(await invoiceDocument(f.db(), seller, { id: 'staff', role: 'admin' }, invoice.id));
    expect(shown.creditNotes[0]).toMatchObject({ amount: '−€2.50', settledBy: 'Refunded to PayPal' });
  });

  it('a refund recorded before its payment settled the invoice gets its credit note when the invoice is paid', async () => {
    const { invoice } = await f.openInvoice({ provider: 'stripe', at: new Date('2026-10-02T09:00:00Z') });
    // The payment is still processing (a 3-D Secure confirmation, say) when its refund is reported first.
    const report = { provider: 'stripe' as const, providerPaymentId: 'pi_settles_late', providerChargeId: 'ch_settles_late', status: 'processing' as const };
    expect(await f.db().transaction((tx) => settleInvoicePayment(tx, f.billingDeps(), invoice.id, report, new Date()))).toBe('pending');
    await f.db().transaction((tx) => recordRefundReport(tx, { provider: 'stripe', providerChargeId: 'ch_settles_late', providerRefundId: 're_before_paid', amount: 100, currency: 'USD', status: 'succeeded' }));
    expect(await f.creditNotesOf(invoice.id)).toHaveLength(0);

    expect(await f.db().transaction((tx) => settleInvoicePayment(tx, f.billingDeps(), invoice.id, { ...report, status: 'succeeded' }, new Date()))).toBe('paid');
    expect(await f.creditNotesOf(invoice.id)).toMatchObject([{ amount: 100, settlement: 'refund', status: 'issued' }]);
  });

  it('a refund of a one-time checkout payment (no invoice) issues no credit note', async () => {
    const user = await createUser(f.db());
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(f.db(), 'onboarding_usd'), quantity: 1, provider: 'stripe' }, new Date());
    const checkout = await checkoutOfUser(f.db(), user.id, started.checkoutId);
    await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: 'pm_card_visa' });
    await fulfilCheckout(checkoutDepsOf(env), checkout.id, new Date(), { type: 'user', id: user.id });
    const [{ paymentId }] = await f.db().select({ paymentId: checkouts.paymentId }).from(checkouts).where(eq(checkouts.id, checkout.id));
    const [payment] = await f.db().select().from(payments).where(eq(payments.id, paymentId!));
    const before = (await f.db().select().from(creditNotes)).length;

    await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId, amount: 1000 });
    const event = await f.deliverChargeRefunded(payment);
    expect(event.status).toBe('processed');
    expect(await f.db().select().from(refunds).where(eq(refunds.paymentId, payment.id))).toMatchObject([{ amount: 1000, status: 'succeeded' }]);
    expect(await f.db().select().from(creditNotes)).toHaveLength(before);
  });

  // Two transactions at once need two connections: PostgreSQL only (PGlite has one and runs them in turn).
  if (testDatabaseKind === 'postgres') it('a refund and a late report of the payment that paid the invoice wait for each other, never deadlock', async () => {
    const { invoice, payment } = await f.paidInvoice({ provider: 'stripe', at: new Date('2026-11-02T09:00:00Z') });
    await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId, amount: 200 });
    const rowId = await f.storeEvent('stripe', 'charge.refunded', { id: payment.providerChargeId, object: 'charge' });
    const late = paymentReportFromIntent(await retrieveIntentForReport(env.gateways.stripe, payment.providerPaymentId));
    let refunded!: Promise<unknown>;
    // The payment's success event arriving after the charge job settled it: the invoice locked, the refund's event let in, then the payment.
    const outcome = await f.db().transaction(async (tx) => {
      const holder = await backendPid(tx);
      await lockInvoice(tx, invoice.id);
      refunded = f.processEvent(rowId).catch((e) => e);
      await expect.poll(() => sessionsBlockedBy(f.db(), holder), { timeout: 5000 }).toBe(1);
      return settleInvoicePayment(tx, f.billingDeps(), invoice.id, late, new Date());
    });
    expect(outcome).toBe('nothing_due');
    expect(await refunded).toMatchObject({ status: 'processed' });
    expect(await f.creditNotesOf(invoice.id)).toMatchObject([{ amount: 200, settlement: 'refund', status: 'issued' }]);
  });
});
