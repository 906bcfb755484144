/**
 * The billing run: subscriptions whose period has ended are renewed 25 to a transaction, set-wise,
 * locked with SKIP LOCKED so concurrent runs share the work instead of repeating it, and the
 * invoice's unique (subscription, period) key makes a repeated run a no-op. The renewal leaves a draft
 * invoice; finalization numbers drafts in batches and queues each charge job (lib/invoices/charge.ts)
 * in the same transaction, so a crash never loses or doubles a charge. The run also queues the
 * dunning retries that have fallen due (lib/invoices/dunning.ts).
 */
import { and, asc, eq, gt, inArray, isNull, lte, notInArray, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '@/db/client';
import { customers, invoices, prices, products, subscriptions, type Customer, type Price, type Product, type Subscription } from '@/db/schema';
import { customersWithDefaultPaymentMethod, defaultPaymentMethod } from '@/lib/payments/payment-methods';
import { writeAudit, writeAudits } from '@/lib/audit';
import { log } from '@/lib/log';
import { discountFor, formatMoney, formatUtcDate, money, planRenewal, sameCadence, type CouponDefinition, type DunningSettings, type RenewalPlan, type SellerTaxSettings } from '@/lib/billing';
import { couponColumns, subscriptionCoupons } from '@/lib/coupons';
import { queueEmail, queueEmails } from '@/lib/email/outbox';
import { invoiceEmail, subscriptionChangedEmail, trialEndingEmail } from '@/lib/email/templates';
import { enqueueMany, QUEUES } from '@/lib/jobs/queue';
import type { ChargeInvoiceJob } from './charge';
import { createInvoices, finalizeInvoices } from './create';
import { queueDueRetries } from './dunning';
import { invoiceEndedUsage } from './final-usage';
import { advanceUsageWatermarks, rateUsage } from '@/lib/usage/rating';
import { stateColumns, subscriptionState } from '@/lib/subscriptions/state';

export interface BillingDeps {
  db: Database;
  boss: PgBoss;
  appUrl: string;
  tax: SellerTaxSettings;
  settings: DunningSettings;
}


export type RenewalOutcome = 'invoiced' | 'ended' | 'paused' | 'not_due' | 'not_billed' | 'locked';

const RENEWABLE = ['trialing', 'active', 'past_due'] as const;

/** Renews one subscription if it is due and nobody else holds it. */
export async function renewSubscription(deps: BillingDeps, subscriptionId: string, now: Date): Promise<RenewalOutcome> {
  const [outcome] = await renewSubscriptions(deps, [subscriptionId], now);
  return outcome;
}

type InvoicePlan = Extract<RenewalPlan, { kind: 'invoice' }>;

/**
 * Renews, in one transaction, those of `subscriptionIds` that are due and that nobody else holds,
 * with a fixed number of statements for the whole set (the subscriptions, their prices, customers and
 * payment methods read once; invoices, periods and audit entries written once each). Outcomes in the
 * ids' order; `locked` for one another run holds.
 */
export async function renewSubscriptions(deps: BillingDeps, subscriptionIds: readonly string[], now: Date, options: { wait?: boolean } = {}): Promise<RenewalOutcome[]> {
  return deps.db.transaction(async (tx) => {
    const outcomes = new Map<string, RenewalOutcome>();
    // Normally SKIP LOCKED (concurrent runs share the work); `wait` waits out brief holders such as usage ingestion.
    const subs = await tx.select().from(subscriptions).where(inArray(subscriptions.id, [...subscriptionIds])).orderBy(asc(subscriptions.id)).for('update', options.wait ? {} : { skipLocked: true });
    if (subs.length === 0) return subscriptionIds.map(() => 'locked' as const);
    const priceIds = [...new Set(subs.flatMap((sub) => (sub.scheduledPriceId ? [sub.priceId, sub.scheduledPriceId] : [sub.priceId])))];
    const catalog = new Map((await tx.select({ price: prices, product: products }).from(prices).innerJoin(products, eq(products.id, prices.productId)).where(inArray(prices.id, priceIds))).map((row) => [row.price.id, row]));
    const customerIds = [...new Set(subs.map((sub) => sub.customerId))];
    const customerById = new Map((await tx.select().from(customers).where(inArray(customers.id, customerIds))).map((customer) => [customer.id, customer]));
    const payable = await customersWithDefaultPaymentMethod(tx, customerIds);
    const billingUrl = `${deps.appUrl}/billing`;

    const renewals: Array<{ sub: Subscription; price: Price; product: Product; customer: Customer; quantity: number; anchor: Date; plan: InvoicePlan }> = [];
    // Usage is billed in arrears with the renewal; a subscription that ends has its last usage invoiced by invoiceEndedUsage.
    const ended: Array<{ sub: Subscription; start: Date; end: Date; billed: boolean }> = [];
    for (const sub of subs) {
      // A downgrade scheduled for the period end takes effect with this renewal.
      const { price, product } = catalog.get(sub.scheduledPriceId ?? sub.priceId)!;
      const previous = catalog.get(sub.priceId)!.price;
      const customer = customerById.get(sub.customerId)!;
      const quantity = sub.scheduledQuantity ?? sub.quantity;
      if (price.type !== 'recurring' || !price.interval || !price.intervalCount) throw new Error(`subscription ${sub.id} has a non-recurring price`);
      // A new cadence starts its cycle where the old one ended.
      const sameRhythm = previous.interval !== null && previous.intervalCount !== null && sameCadence({ interval: previous.interval, intervalCount: previous.intervalCount }, { interval: price.interval, intervalCount: price.intervalCount });
      const anchor = sameRhythm ? sub.billingCycleAnchor : sub.currentPeriodEnd;
      const plan = planRenewal({
        state: subscriptionState(sub),
        currentPeriodStart: sub.currentPeriodStart.getTime(),
        billingCycleAnchor: anchor.getTime(),
        price: { id: price.id, name: product.name, currency: price.currency, unitAmount: price.unitAmount, interval: price.interval, intervalCount: price.intervalCount, pricingModel: price.pricingModel === 'flat' ? 'flat' : 'per_unit' },
        quantity,
        hasPaymentMethod: payable.has(sub.customerId),
        settings: deps.settings,
        now: now.getTime(),
      });
      if (plan.kind === 'not_due' || plan.kind === 'not_billed') {
        outcomes.set(sub.id, plan.kind);
      } else if (plan.kind === 'end' || plan.kind === 'trial_ended_without_payment_method') {
        await tx.update(subscriptions).set({ ...stateColumns(plan.state), updatedAt: now }).where(eq(subscriptions.id, sub.id));
        await writeAudit(tx, { actorType: 'system', actorId: 'billing-run', action: plan.kind === 'end' ? 'subscription.ended' : 'subscription.trial_ended', entityType: 'subscription', entityId: sub.id, before: { status: sub.status, currentPeriodEnd: sub.currentPeriodEnd }, after: { status: plan.state.status } });
        const change = plan.state.status === 'paused' ? 'paused' : 'canceled';
        const reason = plan.kind === 'end' ? 'it was set to end with this period' : 'the trial ended with no payment method on file';
        await queueEmail(tx, deps.boss, customer.email, subscriptionChangedEmail({ productName: product.name, change, reason, billingUrl }));
        outcomes.set(sub.id, change === 'paused' ? 'paused' : 'ended');
        // A trial paused without a payment method: its usage is free, so the watermark moves past it.
        if (plan.state.status === 'paused') ended.push({ sub, start: sub.currentPeriodStart, end: sub.currentPeriodEnd, billed: false });
      } else {
        renewals.push({ sub, price, product, customer, quantity, anchor, plan });
        ended.push({ sub, start: sub.currentPeriodStart, end: sub.currentPeriodEnd, billed: sub.status !== 'trialing' });
      }
    }
    const usage = await rateUsage(tx, ended);
    await advanceUsageWatermarks(tx, usage);
    if (renewals.length > 0) {
      const coupons = await subscriptionCoupons(tx, renewals.map(({ sub }) => sub));
      // The drafts are numbered, emailed and charged by finalizeRenewalInvoices, many at once.
      const drafts = await createInvoices(
        tx,
        deps.tax,
        renewals.map(({ sub, price, customer, plan }) => ({
          customer,
          subscriptionId: sub.id,
          billingReason: 'subscription_cycle' as const,
          currency: price.currency,
          lines: [plan.line, ...(usage.get(sub.id)?.lines ?? [])],
          period: plan.period,
          taxInclusive: price.taxBehavior === 'inclusive',
          coupon: coupons.get(sub.id) ?? null,
          now,
        })),
      );
      // What each new period's plan charge was discounted: a plan change in it credits unused time from it.
      const periodDiscounts = new Map(renewals.map(({ sub, price, product, plan }) => {
        const coupon = coupons.get(sub.id);
        return [sub.id, coupon ? (discountFor(coupon, [{ amount: plan.line.amount, productId: product.id }], price.currency)?.amount.amount ?? 0) : 0];
      }));
      await advancePeriods(tx, renewals, periodDiscounts, now);
      await countCouponInvoices(tx, renewals.flatMap(({ sub }) => (coupons.has(sub.id) ? [{ sub, coupon: coupons.get(sub.id)! }] : [])), now);
      await writeAudits(
        tx,
        renewals.map(({ sub, plan }, i) => ({ actorType: 'system' as const, actorId: 'billing-run', action: 'subscription.renewed', entityType: 'subscription', entityId: sub.id, before: { status: sub.status, currentPeriodEnd: sub.currentPeriodEnd }, after: { status: plan.state.status, currentPeriodEnd: new Date(plan.period.end), invoiceId: drafts[i]?.id ?? null } })),
      );
      for (const { sub } of renewals) outcomes.set(sub.id, 'invoiced');
    }
    return subscriptionIds.map((id) => outcomes.get(id) ?? 'locked');
  });
}

/** Each renewed subscription's next period, state, plan, seats and period discount, in one statement. */
async function advancePeriods(tx: DbOrTx, renewals: ReadonlyArray<{ sub: Subscription; price: Price; product: Product; quantity: number; anchor: Date; plan: InvoicePlan }>, periodDiscounts: ReadonlyMap<string, number>, now: Date): Promise<void> {
  const at = (date: Date | null) => date?.toISOString() ?? null;
  const rows = renewals.map(({ sub, price, product, quantity, anchor, plan }) => {
    const state = stateColumns(plan.state);
    return sql`(${sub.id}::uuid, ${state.status}::subscription_status, ${state.cancelAtPeriodEnd}::boolean, ${at(state.canceledAt)}::timestamptz, ${at(state.endedAt)}::timestamptz, ${at(state.pastDueSince)}::timestamptz, ${at(new Date(plan.period.start))}::timestamptz, ${at(new Date(plan.period.end))}::timestamptz, ${price.id}::uuid, ${product.id}::uuid, ${quantity}::integer, ${at(anchor)}::timestamptz, ${periodDiscounts.get(sub.id) ?? 0}::bigint)`;
  });
  await tx.execute(sql`
    update ${subscriptions} set
      status = v.status, cancel_at_period_end = v.cancel_at_period_end, canceled_at = v.canceled_at, ended_at = v.ended_at,
      past_due_since = v.past_due_since, current_period_start = v.current_period_start, current_period_end = v.current_period_end,
      price_id = v.price_id, product_id = v.product_id, quantity = v.quantity, billing_cycle_anchor = v.billing_cycle_anchor,
      period_discount = v.period_discount, scheduled_price_id = null, scheduled_quantity = null, updated_at = ${at(now)}::timestamptz
    from (values ${sql.join(rows, sql`, `)}) as v(id, status, cancel_at_period_end, canceled_at, ended_at, past_due_since, current_period_start, current_period_end, price_id, product_id, quantity, billing_cycle_anchor, period_discount)
    where ${subscriptions.id} = v.id`);
}

/** Each renewal with a coupon counted one more invoice against it (see couponColumns). */
async function countCouponInvoices(tx: DbOrTx, discounted: ReadonlyArray<{ sub: Subscription; coupon: CouponDefinition }>, now: Date): Promise<void> {
  if (discounted.length === 0) return;
  const rows = discounted.map(({ sub, coupon }) => {
    const columns = couponColumns(coupon, sub.couponInvoices + 1);
    return sql`(${sub.id}::uuid, ${columns.couponId}::uuid, ${columns.couponInvoices}::integer)`;
  });
  await tx.execute(sql`
    update ${subscriptions} set coupon_id = v.coupon_id, coupon_invoices = v.coupon_invoices, updated_at = ${now.toISOString()}::timestamptz
    from (values ${sql.join(rows, sql`, `)}) as v(id, coupon_id, coupon_invoices)
    where ${subscriptions.id} = v.id`);
}

/** Subscriptions renewed per transaction; a batch waits for its slowest statement, so not too many. */
const RENEW_BATCH = 25;
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
        .where(and(eq(invoices.status, 'draft'), inArray(invoices.billingReason, ['subscription_cycle', 'subscription_end'])))
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
  /** Subscriptions whose renewal threw (logged); the others were renewed without them. */
  failed: number;
  /** Dunning retries queued. */
  retries: number;
}

/** Renews everything due at `now`, catching up several missed periods one at a time, and finalizes the invoices. */
export async function runBilling(deps: BillingDeps, now: Date, options: { batch?: number; concurrency?: number } = {}): Promise<BillingRunResult> {
  const batch = options.batch ?? 200;
  // Renewals wait mostly on the database: several batches at once, each in its own transaction.
  const concurrency = options.concurrency ?? 4;
  const result: BillingRunResult = { invoiced: 0, ended: 0, paused: 0, skipped: 0, failed: 0, retries: 0 };
  const failed = new Set<string>();
  const locked = new Set<string>();
  const count = (id: string, outcome: RenewalOutcome | 'failed') => {
    if (outcome === 'invoiced') result.invoiced += 1;
    else if (outcome === 'ended') result.ended += 1;
    else if (outcome === 'paused') result.paused += 1;
    else if (outcome === 'failed') result.failed += 1;
    else result.skipped += 1;
    if (outcome === 'locked') locked.add(id);
    else locked.delete(id);
    return outcome !== 'locked' && outcome !== 'not_due' && outcome !== 'not_billed';
  };
  // A batch that throws is renewed one by one, so one broken subscription holds up only itself.
  const renew = async (ids: string[], wait = false): Promise<Array<RenewalOutcome | 'failed'>> => {
    try {
      return await renewSubscriptions(deps, ids, now, { wait });
    } catch (error) {
      if (ids.length > 1) return (await Promise.all(ids.map((id) => renew([id], wait)))).flat();
      log.error('renewal failed; the subscription is left for the next run', { subscriptionId: ids[0], error });
      failed.add(ids[0]);
      return ['failed'];
    }
  };
  await finalizeRenewalInvoices(deps, now);
  for (;;) {
    const due = await deps.db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(lte(subscriptions.currentPeriodEnd, now), inArray(subscriptions.status, [...RENEWABLE]), failed.size ? notInArray(subscriptions.id, [...failed]) : undefined))
      .orderBy(asc(subscriptions.currentPeriodEnd))
      .limit(batch);
    let progressed = 0;
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const ids = due.slice(next, (next += RENEW_BATCH)).map((row) => row.id);
        (await renew(ids)).forEach((outcome, i) => {
          if (count(ids[i], outcome)) progressed += 1;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.ceil(due.length / RENEW_BATCH)) }, worker));
    await finalizeRenewalInvoices(deps, now);
    // Everything left is held by another run (or was not due after all), or failed.
    if (progressed === 0) break;
  }
  // Held a moment ago (by usage ingestion, say): waited for once, so a busy subscription is not skipped run after run.
  const held = [...locked];
  for (let i = 0; i < held.length; i += RENEW_BATCH) {
    const ids = held.slice(i, i + RENEW_BATCH);
    result.skipped -= ids.length;
    (await renew(ids, true)).forEach((outcome, j) => count(ids[j], outcome));
  }
  await invoiceEndedUsage(deps, now);
  await finalizeRenewalInvoices(deps, now);
  result.retries = await queueDueRetries(deps, now);
  return result;
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
