/**
 * The billing run: every subscription whose period has ended is renewed in its own transaction,
 * locked with SKIP LOCKED so concurrent runs share the work instead of repeating it, and the
 * invoice's unique (subscription, period) key makes a repeated run a no-op. The renewal leaves a draft
 * invoice; finalization numbers drafts in batches and queues each charge job (lib/invoices/charge.ts)
 * in the same transaction, so a crash never loses or doubles a charge.
 */
import { and, asc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { customers, invoices, prices, products, subscriptions } from '@/db/schema';
import { defaultPaymentMethod } from '@/lib/payments/payment-methods';
import { writeAudit } from '@/lib/audit';
import { formatMoney, formatUtcDate, money, planRenewal, sameCadence, type SellerTaxSettings, type SubscriptionSettings } from '@/lib/billing';
import { queueEmail, queueEmails } from '@/lib/email/outbox';
import { invoiceEmail, subscriptionChangedEmail, trialEndingEmail } from '@/lib/email/templates';
import { enqueueMany, QUEUES } from '@/lib/jobs/queue';
import type { ChargeInvoiceJob } from './charge';
import { createInvoice, finalizeInvoices } from './create';
import { stateColumns, subscriptionState } from '@/lib/subscriptions/state';

export interface BillingDeps {
  db: Database;
  boss: PgBoss;
  appUrl: string;
  tax: SellerTaxSettings;
  settings: SubscriptionSettings;
}


export type RenewalOutcome = 'invoiced' | 'ended' | 'paused' | 'not_due' | 'not_billed' | 'locked';

const RENEWABLE = ['trialing', 'active', 'past_due'] as const;

/** Renews one subscription if it is due and nobody else holds it. */
export async function renewSubscription(deps: BillingDeps, subscriptionId: string, now: Date): Promise<RenewalOutcome> {
  return deps.db.transaction(async (tx) => {
    const [sub] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for('update', { skipLocked: true });
    if (!sub) return 'locked';
    // A downgrade scheduled for the period end takes effect with this renewal.
    const priceId = sub.scheduledPriceId ?? sub.priceId;
    const quantity = sub.scheduledQuantity ?? sub.quantity;
    const [{ price, product, customer }] = await tx
      .select({ price: prices, product: products, customer: customers })
      .from(prices)
      .innerJoin(products, eq(products.id, prices.productId))
      .innerJoin(customers, eq(customers.id, sub.customerId))
      .where(eq(prices.id, priceId));
    if (price.type !== 'recurring' || !price.interval || !price.intervalCount) throw new Error(`subscription ${sub.id} has a non-recurring price`);
    const [previous] = sub.scheduledPriceId ? await tx.select().from(prices).where(eq(prices.id, sub.priceId)) : [price];
    // A new cadence starts its cycle where the old one ended.
    const sameRhythm = previous.interval !== null && previous.intervalCount !== null && sameCadence({ interval: previous.interval, intervalCount: previous.intervalCount }, { interval: price.interval, intervalCount: price.intervalCount });
    const anchor = sameRhythm ? sub.billingCycleAnchor : sub.currentPeriodEnd;
    const plan = planRenewal({
      state: subscriptionState(sub),
      currentPeriodStart: sub.currentPeriodStart.getTime(),
      billingCycleAnchor: anchor.getTime(),
      price: { id: price.id, name: product.name, currency: price.currency, unitAmount: price.unitAmount, interval: price.interval, intervalCount: price.intervalCount, pricingModel: price.pricingModel === 'flat' ? 'flat' : 'per_unit' },
      quantity,
      hasPaymentMethod: (await defaultPaymentMethod(tx, sub.customerId)) !== null,
      settings: deps.settings,
      now: now.getTime(),
    });
    const billingUrl = `${deps.appUrl}/billing`;
    const audit = (action: string, after: object) =>
      writeAudit(tx, { actorType: 'system', actorId: 'billing-run', action, entityType: 'subscription', entityId: sub.id, before: { status: sub.status, currentPeriodEnd: sub.currentPeriodEnd }, after });

    if (plan.kind === 'not_due' || plan.kind === 'not_billed') return plan.kind;
    if (plan.kind === 'end' || plan.kind === 'trial_ended_without_payment_method') {
      await tx.update(subscriptions).set({ ...stateColumns(plan.state), updatedAt: now }).where(eq(subscriptions.id, sub.id));
      await audit(plan.kind === 'end' ? 'subscription.ended' : 'subscription.trial_ended', { status: plan.state.status });
      const change = plan.state.status === 'paused' ? 'paused' : 'canceled';
      const reason = plan.kind === 'end' ? 'it was set to end with this period' : 'the trial ended with no payment method on file';
      await queueEmail(tx, deps.boss, customer.email, subscriptionChangedEmail({ productName: product.name, change, reason, billingUrl }));
      return change === 'paused' ? 'paused' : 'ended';
    }

    const draft = await createInvoice(tx, deps.tax, {
      customer,
      subscriptionId: sub.id,
      billingReason: 'subscription_cycle',
      currency: price.currency,
      lines: [plan.line],
      period: plan.period,
      taxInclusive: price.taxBehavior === 'inclusive',
      now,
    });
    await tx
      .update(subscriptions)
      .set({
        ...stateColumns(plan.state),
        currentPeriodStart: new Date(plan.period.start),
        currentPeriodEnd: new Date(plan.period.end),
        priceId: price.id,
        productId: product.id,
        quantity,
        billingCycleAnchor: anchor,
        scheduledPriceId: null,
        scheduledQuantity: null,
        updatedAt: now,
      })
      .where(eq(subscriptions.id, sub.id));
    await audit('subscription.renewed', { status: plan.state.status, currentPeriodEnd: new Date(plan.period.end), invoiceId: draft?.id ?? null });
    // The draft is numbered, emailed and charged by finalizeRenewalInvoices, many at once.
    return 'invoiced';
  });
}

const FINALIZE_BATCH = 50;

/**
 * Finalizes renewal drafts, up to FINALIZE_BATCH per transaction: numbers them (gapless, in one
 * statement), emails each customer and queues each charge. Renewals leave their invoice a draft so
 * that they run side by side; only this step waits on the number counter, once per batch. Drafts a
 * crashed run left behind are finalized by the next one. Returns how many it finalized.
 */
export async function finalizeRenewalInvoices(deps: BillingDeps, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const finalized = await deps.db.transaction(async (tx) => {
      const drafts = await tx
        .select()
        .from(invoices)
        .where(and(eq(invoices.status, 'draft'), eq(invoices.billingReason, 'subscription_cycle')))
        .orderBy(asc(invoices.createdAt), asc(invoices.id))
        .limit(FINALIZE_BATCH)
        .for('update', { skipLocked: true });
      if (drafts.length === 0) return 0;
      const emails = await tx.select({ id: customers.id, email: customers.email }).from(customers).where(inArray(customers.id, [...new Set(drafts.map((d) => d.customerId))]));
      const emailOf = new Map(emails.map((c) => [c.id, c.email]));
      const numbered = await finalizeInvoices(tx, drafts, now);
      await queueEmails(
        tx,
        deps.boss,
        numbered.map((invoice) => ({
          to: emailOf.get(invoice.customerId)!,
          email: invoiceEmail({ kind: invoice.status === 'paid' ? 'paid' : 'finalized', number: invoice.number!, amount: formatMoney(money(invoice.total, invoice.currency)), url: `${deps.appUrl}/billing/invoices/${invoice.id}` }),
        })),
      );
      const charges = numbered.filter((invoice) => invoice.status === 'open');
      await enqueueMany(deps.boss, tx, QUEUES.chargeInvoice, charges.map((invoice) => ({ data: { invoiceId: invoice.id, attempt: 1 } satisfies ChargeInvoiceJob, singletonKey: `${invoice.id}:1` })));
      return numbered.length;
    });
    total += finalized;
    if (finalized === 0) return total;
  }
}

export interface BillingRunResult {
  invoiced: number;
  ended: number;
  paused: number;
  skipped: number;
}

/** Renews everything due at `now`, catching up several missed periods one at a time, and finalizes the invoices. */
export async function runBilling(deps: BillingDeps, now: Date, options: { batch?: number; concurrency?: number } = {}): Promise<BillingRunResult> {
  const batch = options.batch ?? 200;
  // Renewals wait mostly on the database: several at once, each in its own transaction.
  const concurrency = options.concurrency ?? 8;
  const result: BillingRunResult = { invoiced: 0, ended: 0, paused: 0, skipped: 0 };
  await finalizeRenewalInvoices(deps, now);
  for (;;) {
    const due = await deps.db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(lte(subscriptions.currentPeriodEnd, now), inArray(subscriptions.status, [...RENEWABLE])))
      .orderBy(asc(subscriptions.currentPeriodEnd))
      .limit(batch);
    let progressed = 0;
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const outcome = await renewSubscription(deps, due[next++].id, now);
        if (outcome === 'invoiced') result.invoiced += 1;
        else if (outcome === 'ended') result.ended += 1;
        else if (outcome === 'paused') result.paused += 1;
        else result.skipped += 1;
        if (outcome !== 'locked' && outcome !== 'not_due' && outcome !== 'not_billed') progressed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    await finalizeRenewalInvoices(deps, now);
    // Everything left is held by another run (or was not due after all): theirs to finish.
    if (progressed === 0) return result;
  }
}

export const TRIAL_REMINDER_DAYS = 3;

/** Emails every trial ending within 3 days, once: the sent mark and the email are one transaction. */
export async function sendTrialReminders(deps: BillingDeps, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + TRIAL_REMINDER_DAYS * 24 * 60 * 60 * 1000);
  const due = await deps.db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.status, 'trialing'), isNull(subscriptions.trialReminderSentAt), gt(subscriptions.currentPeriodEnd, now), lte(subscriptions.currentPeriodEnd, horizon)));
  let sent = 0;
  for (const { id } of due) {
    sent += await deps.db.transaction(async (tx) => {
      const [sub] = await tx
        .update(subscriptions)
        .set({ trialReminderSentAt: now })
        .where(and(eq(subscriptions.id, id), isNull(subscriptions.trialReminderSentAt), eq(subscriptions.status, 'trialing')))
        .returning();
      if (!sub) return 0;
      const [{ product, customer }] = await tx.select({ product: products, customer: customers }).from(products).innerJoin(customers, eq(customers.id, sub.customerId)).where(eq(products.id, sub.productId));
      const email = trialEndingEmail({
        productName: product.name,
        endsOn: formatUtcDate(sub.currentPeriodEnd.getTime()),
        hasPaymentMethod: (await defaultPaymentMethod(tx, sub.customerId)) !== null,
        afterTrial: deps.settings.trialEndWithoutPaymentMethod,
        billingUrl: `${deps.appUrl}/billing`,
      });
      await queueEmail(tx, deps.boss, customer.email, email);
      return 1;
    });
  }
  return sent;
}
