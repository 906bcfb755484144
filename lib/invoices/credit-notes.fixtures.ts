/**
 * Fixtures for the credit note and invoice admin tests: a renewal invoice paid by card or PayPal, an
 * open one, webhook delivery, and a snapshot of everything an illegal action must leave alone.
 */
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, creditNotes, customerBalanceTransactions, invoiceRefundRequests, invoices, outboxEmails, payments, refunds, subscriptions, type Invoice, type Payment } from '@/db/schema';
import { checkoutOfUser } from '@/lib/checkout/access';
import { ensureCustomer } from '@/lib/checkout/customer';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { startCheckout } from '@/lib/checkout/start';
import { checkoutDepsOf, createUser, priceIdOf } from '@/test/checkout';
import type { DatabaseAndSandbox } from '@/test/sandbox';
import { processTestEvent, storeTestEvent } from '@/test/webhooks';
import type { InvoiceAdminDeps } from './admin-actions';
import { runBilling, type BillingDeps } from './billing-run';
import { chargeInvoice, type ChargeDeps } from './charge';
import { testBillingSettings } from '@/test/settings';

const settings = testBillingSettings;

export function invoiceFixtures(env: DatabaseAndSandbox) {
  const db = () => env.t.handle.db;
  const billingDeps = (): BillingDeps & ChargeDeps => ({ db: db(), boss: env.t.boss, gateways: env.gateways, appUrl: 'http://localhost:3000', tax: { country: 'US', registrations: ['US-NY'] }, settings });
  const adminDeps = (): InvoiceAdminDeps => ({ db: db(), boss: env.t.boss, gateways: env.gateways, appUrl: 'http://localhost:3000' });

  /** A customer subscribed at `at` through checkout, by card (`paymentMethod`) or PayPal. */
  async function subscribe(options: { provider: 'stripe' | 'paypal'; at: Date; lookupKey?: string; paymentMethod?: string }) {
    const user = await createUser(db());
    const lookupKey = options.lookupKey ?? 'starter_month_usd';
    const started = await startCheckout(checkoutDepsOf(env), { userId: user.id, priceId: await priceIdOf(db(), lookupKey), quantity: 1, provider: options.provider }, options.at);
    if (options.provider === 'paypal') {
      await env.sb.control('paypal/approve_order', { order_id: started.paypalOrderId });
    } else {
      const checkout = await checkoutOfUser(db(), user.id, started.checkoutId);
      await env.gateways.stripe.paymentIntents.confirm(checkout.providerIntentId!, { payment_method: options.paymentMethod ?? 'pm_card_visa' });
    }
    await fulfilCheckout(checkoutDepsOf(env), started.checkoutId, options.at, { type: 'user', id: user.id });
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.checkoutId, started.checkoutId));
    return { user, sub, customer: await ensureCustomer(db(), user.id) };
  }

  /** The subscription's next renewal invoice, billed at its period end and not charged: open. */
  async function renew(subscriptionId: string): Promise<Invoice> {
    const [sub] = await db().select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
    await runBilling(billingDeps(), sub.currentPeriodEnd);
    const all = await db().select().from(invoices).where(eq(invoices.subscriptionId, subscriptionId)).orderBy(asc(invoices.periodStart));
    return all[all.length - 1];
  }

  /** A renewal invoice charged off-session and paid, and the payment that paid it. */
  async function paidInvoice(options: Parameters<typeof subscribe>[0]) {
    const subscribed = await subscribe(options);
    const open = await renew(subscribed.sub.id);
    const outcome = await chargeInvoice(billingDeps(), { invoiceId: open.id, attempt: 1 }, subscribed.sub.currentPeriodEnd);
    if (outcome !== 'paid') throw new Error(`the renewal charge was ${outcome}, not paid`);
    const invoice = await invoiceRow(open.id);
    const [payment] = await db().select().from(payments).where(eq(payments.id, invoice.paymentId!));
    return { ...subscribed, invoice, payment };
  }

  async function openInvoice(options: Parameters<typeof subscribe>[0]) {
    const subscribed = await subscribe(options);
    return { ...subscribed, invoice: await renew(subscribed.sub.id) };
  }

  const invoiceRow = async (id: string) => (await db().select().from(invoices).where(eq(invoices.id, id)))[0];
  const creditNotesOf = (invoiceId: string) => db().select().from(creditNotes).where(eq(creditNotes.invoiceId, invoiceId)).orderBy(asc(creditNotes.number));
  const balanceEntries = (customerId: string) => db().select().from(customerBalanceTransactions).where(eq(customerBalanceTransactions.customerId, customerId)).orderBy(asc(customerBalanceTransactions.createdAt));
  const balanceOf = async (customerId: string) => (await balanceEntries(customerId)).reduce((sum, e) => sum + e.amount, 0);
  const refundRequestCount = async (invoiceId: string) => (await db().select().from(invoiceRefundRequests).where(eq(invoiceRefundRequests.invoiceId, invoiceId))).length;
  const emailsTo = async (to: string) => (await db().select({ template: outboxEmails.template, subject: outboxEmails.subject }).from(outboxEmails).where(eq(outboxEmails.to, to)));

  /** Everything an admin action on the invoice could touch, to prove a refused one touched none of it. */
  async function stateOf(invoice: Pick<Invoice, 'id' | 'customerId' | 'paymentId'>) {
    return {
      invoice: await invoiceRow(invoice.id),
      creditNotes: await creditNotesOf(invoice.id),
      balance: await balanceEntries(invoice.customerId),
      refunds: invoice.paymentId ? await db().select().from(refunds).where(eq(refunds.paymentId, invoice.paymentId)) : [],
      audit: await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'invoice'), eq(auditLog.entityId, invoice.id))),
    };
  }

  const storeEvent = (provider: 'stripe' | 'paypal', type: string, object: Record<string, unknown>) => storeTestEvent(env, provider, type, object);
  const processEvent = (rowId: string) => processTestEvent(env, rowId);

  async function deliver(provider: 'stripe' | 'paypal', type: string, object: Record<string, unknown>) {
    return processEvent(await storeEvent(provider, type, object));
  }

  /** charge.refunded for the Stripe payment, as Stripe sends it after any refund of the charge. */
  async function deliverChargeRefunded(payment: Payment) {
    return deliver('stripe', 'charge.refunded', { id: payment.providerChargeId, object: 'charge' });
  }

  return { db, billingDeps, adminDeps, subscribe, renew, paidInvoice, openInvoice, invoiceRow, creditNotesOf, balanceEntries, balanceOf, refundRequestCount, emailsTo, stateOf, storeEvent, processEvent, deliver, deliverChargeRefunded };
}
