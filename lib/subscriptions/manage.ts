/**
 * The customer's own subscription actions: cancel (now or at the period end), resume before the end,
 * and change plan, interval or seats with the exact lines previewed first. Every state change goes
 * through the state machine (an illegal one is an error, never an overwrite); every change is audited.
 */
import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '@/db/client';
import { customers, prices, products, subscriptions, type Price, type Product, type Subscription } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import {
  cycleFor,
  IllegalTransitionError,
  invoiceDiscount,
  limitCreditToPaid,
  money,
  periodDiscountAfterChange,
  previewChange,
  transition,
  type ChangePreview,
  type DowngradePolicy,
  type InvoiceTotals,
  type CouponDefinition,
  type DiscountLine,
  type RecurringPrice,
  type SellerTaxSettings,
  type SubscriptionEventType,
  type SubscriptionSettings,
  type TaxLine,
} from '@/lib/billing';
import { enqueue, QUEUES } from '@/lib/jobs/queue';
import type { ChargeInvoiceJob } from '@/lib/invoices/charge';
import { stateColumns, subscriptionState } from './state';
import { createInvoice, finalizeInvoice, priceInvoice } from '@/lib/invoices/create';
import { couponColumns, subscriptionCoupons } from '@/lib/coupons';
import type { Runtime } from '@/lib/runtime';
import { SubscriptionActionError } from './errors';
import { isUuid } from '@/lib/ids';

export interface ManageDeps {
  db: Database;
  boss: PgBoss;
  tax: SellerTaxSettings;
  settings: SubscriptionSettings;
  downgradePolicy: DowngradePolicy;
}

export function manageDeps(runtime: Runtime): ManageDeps {
  const { config } = runtime;
  return { db: runtime.db, boss: runtime.boss, tax: config.tax, settings: config.billing, downgradePolicy: config.billing.downgradePolicy };
}


/** The subscription, locked when `lock`, if it is this user's (otherwise 404: its existence is not disclosed). */
async function ownSubscription(tx: DbOrTx, userId: string, subscriptionId: string, lock: boolean): Promise<Subscription> {
  if (!isUuid(subscriptionId)) throw new SubscriptionActionError(404, 'not_found', 'There is no such subscription.');
  const query = tx.select({ sub: subscriptions, userId: customers.userId }).from(subscriptions).innerJoin(customers, eq(customers.id, subscriptions.customerId)).where(eq(subscriptions.id, subscriptionId));
  const [row] = lock ? await query.for('update', { of: subscriptions }) : await query;
  if (!row || row.userId !== userId) throw new SubscriptionActionError(404, 'not_found', 'There is no such subscription.');
  return row.sub;
}

async function applyEvent(tx: DbOrTx, deps: ManageDeps, userId: string, sub: Subscription, type: SubscriptionEventType, now: Date, extra: Partial<Subscription> = {}) {
  let next;
  try {
    next = transition(subscriptionState(sub), { type, at: now.getTime() }, deps.settings);
  } catch (error) {
    if (error instanceof IllegalTransitionError) throw new SubscriptionActionError(409, 'illegal_transition', `This subscription is ${sub.status}${sub.cancelAtPeriodEnd ? ' and set to end' : ''}: it cannot be ${type.replaceAll('_', ' ')}.`);
    throw error;
  }
  const [updated] = await tx.update(subscriptions).set({ ...stateColumns(next), ...extra, updatedAt: now }).where(eq(subscriptions.id, sub.id)).returning();
  await writeAudit(tx, { actorType: 'user', actorId: userId, action: `subscription.${type}`, entityType: 'subscription', entityId: sub.id, before: { status: sub.status, cancelAtPeriodEnd: sub.cancelAtPeriodEnd }, after: { status: updated.status, cancelAtPeriodEnd: updated.cancelAtPeriodEnd } });
  return updated;
}

export async function cancelSubscription(deps: ManageDeps, userId: string, subscriptionId: string, options: { atPeriodEnd: boolean }, now: Date): Promise<Subscription> {
  return deps.db.transaction(async (tx) => {
    const sub = await ownSubscription(tx, userId, subscriptionId, true);
    if (sub.status === 'canceled') throw new SubscriptionActionError(409, 'already_canceled', 'This subscription is already canceled.');
    if (options.atPeriodEnd && sub.cancelAtPeriodEnd) throw new SubscriptionActionError(409, 'already_ending', 'This subscription is already set to end with its period.');
    return applyEvent(tx, deps, userId, sub, options.atPeriodEnd ? 'cancel_at_period_end' : 'cancel_now', now, { scheduledPriceId: null, scheduledQuantity: null });
  });
}

/** Undoes a cancellation at the period end, while the period lasts. */
export async function resumeSubscription(deps: ManageDeps, userId: string, subscriptionId: string, now: Date): Promise<Subscription> {
  return deps.db.transaction(async (tx) => {
    const sub = await ownSubscription(tx, userId, subscriptionId, true);
    if (!sub.cancelAtPeriodEnd || sub.status === 'canceled') throw new SubscriptionActionError(409, 'not_ending', 'Only a subscription set to end with its period can be resumed; subscribe again instead.');
    if (sub.currentPeriodEnd.getTime() <= now.getTime()) throw new SubscriptionActionError(409, 'period_over', 'This subscription’s period is over; subscribe again instead.');
    return applyEvent(tx, deps, userId, sub, 'undo_cancel', now);
  });
}

export interface PlanChange {
  priceId: string;
  quantity: number;
}

export interface PlanChangePreview {
  preview: ChangePreview;
  /** The invoice the change makes now, tax included: what the customer is charged or credited. */
  totals: InvoiceTotals;
  /** The coupon's discount on it (an interval change while the coupon lasts). */
  discounts: DiscountLine[];
  taxes: TaxLine[];
}

function recurring(price: Price, product: Product): RecurringPrice {
  return { id: price.id, name: product.name, currency: price.currency, unitAmount: price.unitAmount, interval: price.interval!, intervalCount: price.intervalCount!, pricingModel: price.pricingModel === 'flat' ? 'flat' : 'per_unit' };
}

async function resolveChange(tx: DbOrTx, sub: Subscription, change: PlanChange) {
  if (!isUuid(change.priceId)) throw new SubscriptionActionError(400, 'unknown_price', 'This price does not exist.');
  const rows = await tx.select({ price: prices, product: products }).from(prices).innerJoin(products, eq(products.id, prices.productId)).where(eq(prices.id, change.priceId));
  const [current] = await tx.select({ price: prices, product: products }).from(prices).innerJoin(products, eq(products.id, prices.productId)).where(eq(prices.id, sub.priceId));
  const next = rows[0];
  if (!next) throw new SubscriptionActionError(400, 'unknown_price', 'This price does not exist.');
  if (!next.price.active || !next.product.active) throw new SubscriptionActionError(400, 'price_inactive', `${next.product.name} is no longer sold at this price.`);
  if (next.product.kind !== 'plan' || next.price.type !== 'recurring' || next.price.usageType !== 'licensed') throw new SubscriptionActionError(400, 'not_a_plan', 'Choose a plan price.');
  if (next.price.currency !== current.price.currency) throw new SubscriptionActionError(400, 'currency_change', `This subscription is billed in ${current.price.currency}; a plan in ${next.price.currency} needs a new subscription.`);
  if (!Number.isSafeInteger(change.quantity) || change.quantity < 1) throw new SubscriptionActionError(400, 'invalid_quantity', 'The quantity must be a whole number of at least 1.');
  if (next.product.perSeat ? change.quantity > next.product.maxQuantity : change.quantity !== 1) {
    throw new SubscriptionActionError(400, 'invalid_quantity', next.product.perSeat ? `${next.product.name} allows at most ${next.product.maxQuantity} seats.` : `${next.product.name} is bought one at a time.`);
  }
  if (sub.status === 'canceled' || sub.status === 'unpaid' || sub.status === 'paused') throw new SubscriptionActionError(409, 'not_changeable', `This subscription is ${sub.status}: it cannot change plan.`);
  // A change credits the unused time of a period as paid; while its invoice is owed it was not.
  if (sub.status === 'past_due') throw new SubscriptionActionError(409, 'payment_overdue', 'The last payment for this subscription failed. Pay the open invoice, or add a card on your billing page, before changing plan.');
  return { current, next };
}

/** A period that has ended is renewed by the next billing run; a change before then has no period to prorate. */
function assertPeriodOpen(sub: Subscription, now: Date): void {
  if (sub.currentPeriodEnd.getTime() <= now.getTime()) throw new SubscriptionActionError(409, 'period_ended', 'This subscription is being renewed. Try the change again in a few minutes.');
}

/**
 * The coupon on a plan change's invoice. Mid-period, none: the credit for unused time is at the full
 * price, which gives back both what the customer paid and the unused part of their discount, so the
 * discount they hold for this period is kept whatever its kind. An interval change (month → year)
 * charges a whole new period: like a renewal, it is discounted while the coupon lasts, and counted.
 */
function changeCoupon(preview: ChangePreview, coupon: CouponDefinition | undefined): CouponDefinition | null {
  return coupon && preview.intervalChange && preview.lines.length > 0 ? coupon : null;
}

async function computePreview(tx: DbOrTx, deps: ManageDeps, sub: Subscription, change: PlanChange, now: Date) {
  const { current, next } = await resolveChange(tx, sub, change);
  assertPeriodOpen(sub, now);
  const [customer] = await tx.select().from(customers).where(eq(customers.id, sub.customerId));
  const currency = current.price.currency;
  const preview = previewChange({
    cycle: cycleFor(recurring(current.price, current.product), sub.billingCycleAnchor.getTime()),
    currentPeriod: { start: sub.currentPeriodStart.getTime(), end: sub.currentPeriodEnd.getTime() },
    current: { price: recurring(current.price, current.product), quantity: sub.quantity },
    next: { price: recurring(next.price, next.product), quantity: change.quantity },
    at: now.getTime(),
    downgradePolicy: deps.downgradePolicy,
    inTrial: sub.status === 'trialing',
  });
  if (preview.kind === 'no_change') throw new SubscriptionActionError(400, 'no_change', 'That is the plan and seat count you already have.');
  const coupon = changeCoupon(preview, (await subscriptionCoupons(tx, [sub])).get(sub.id));
  const productOf = new Map([[current.price.id, current.product.id], [next.price.id, next.product.id]]);
  const discount = coupon ? invoiceDiscount(coupon, preview.lines, productOf, currency) : null;
  const currentPeriod = { start: sub.currentPeriodStart.getTime(), end: sub.currentPeriodEnd.getTime() };
  const discountTotal = discount?.amount ?? money(0, currency);
  const { lines, discountCarried } = limitCreditToPaid(preview.lines, { periodDiscount: money(sub.periodDiscount, currency), currentPeriod, at: now.getTime(), discountTotal });
  const { tax, totals, discounts } = await priceInvoice(tx, deps.tax, { customer, currency, lines, taxInclusive: next.price.taxBehavior === 'inclusive', coupon, now });
  const periodDiscount = periodDiscountAfterChange({ intervalChange: preview.intervalChange, discountCarried, discountTotal, currentPeriod, at: now.getTime() }).amount;
  return { preview: { ...preview, lines, totals }, totals, discounts, taxes: tax.taxes, next, customer, coupon, periodDiscount };
}

/** Exactly what a change would bill now (or schedule), without changing anything. */
export async function previewSubscriptionChange(deps: ManageDeps, userId: string, subscriptionId: string, change: PlanChange, now: Date): Promise<PlanChangePreview> {
  const sub = await ownSubscription(deps.db, userId, subscriptionId, false);
  const { preview, totals, discounts, taxes } = await computePreview(deps.db, deps, sub, change, now);
  return { preview, totals, discounts, taxes };
}

/** Applies a change: invoiced and charged at once (upgrades, immediate downgrades, interval changes), or scheduled for the period end. */
export async function changeSubscription(deps: ManageDeps, userId: string, subscriptionId: string, change: PlanChange, now: Date): Promise<{ subscription: Subscription; invoiceId: string | null; timing: 'immediate' | 'at_period_end' }> {
  return deps.db.transaction(async (tx) => {
    const sub = await ownSubscription(tx, userId, subscriptionId, true);
    const { preview, next, customer, coupon, periodDiscount } = await computePreview(tx, deps, sub, change, now);
    const audit = (after: object) =>
      writeAudit(tx, { actorType: 'user', actorId: userId, action: 'subscription.changed', entityType: 'subscription', entityId: sub.id, before: { priceId: sub.priceId, quantity: sub.quantity }, after });
    if (preview.timing === 'at_period_end') {
      const [updated] = await tx.update(subscriptions).set({ scheduledPriceId: next.price.id, scheduledQuantity: change.quantity, updatedAt: now }).where(eq(subscriptions.id, sub.id)).returning();
      await audit({ scheduledPriceId: next.price.id, scheduledQuantity: change.quantity, effectiveAt: new Date(preview.effectiveAt) });
      return { subscription: updated, invoiceId: null, timing: preview.timing };
    }
    const draft =
      preview.lines.length > 0
        ? await createInvoice(tx, deps.tax, { customer, subscriptionId: sub.id, billingReason: 'subscription_update', currency: next.price.currency, lines: preview.lines, period: null, taxInclusive: next.price.taxBehavior === 'inclusive', coupon, now })
        : null;
    const invoice = draft ? await finalizeInvoice(tx, draft, now) : null;
    const [updated] = await tx
      .update(subscriptions)
      .set({
        priceId: next.price.id,
        productId: next.product.id,
        quantity: change.quantity,
        billingCycleAnchor: new Date(preview.cycleAfter.anchor),
        currentPeriodStart: new Date(preview.periodAfter.start),
        currentPeriodEnd: new Date(preview.periodAfter.end),
        scheduledPriceId: null,
        scheduledQuantity: null,
        // An invoice for a whole new period counts against the coupon like a renewal.
        ...(coupon && draft ? couponColumns(coupon, sub.couponInvoices + 1) : {}),
        ...(draft ? { periodDiscount } : {}),
        updatedAt: now,
      })
      .where(eq(subscriptions.id, sub.id))
      .returning();
    if (invoice && invoice.status === 'open') {
      await enqueue(deps.boss, tx, QUEUES.chargeInvoice, { invoiceId: invoice.id, attempt: 1 } satisfies ChargeInvoiceJob, { singletonKey: `${invoice.id}:1` });
    }
    await audit({ priceId: next.price.id, quantity: change.quantity, invoiceId: invoice?.id ?? null, kind: preview.kind });
    return { subscription: updated, invoiceId: invoice?.id ?? null, timing: preview.timing };
  });
}

/** What the change page starts from: the customer's own live subscription, its price and seats. */
export async function subscriptionSummary(db: Database, userId: string, subscriptionId: string) {
  const sub = await ownSubscription(db, userId, subscriptionId, false);
  const [row] = await db.select({ price: prices, product: products }).from(prices).innerJoin(products, eq(products.id, prices.productId)).where(eq(prices.id, sub.priceId));
  return { id: sub.id, status: sub.status, priceId: sub.priceId, quantity: sub.quantity, currency: row.price.currency, label: `${row.product.name}, ${row.price.interval}ly`, currentPeriodEnd: sub.currentPeriodEnd };
}

/** Takes back a change scheduled for the period end: the next renewal keeps the current plan and seats. */
export async function cancelScheduledChange(deps: Pick<ManageDeps, 'db'>, userId: string, subscriptionId: string, now: Date): Promise<Subscription> {
  return deps.db.transaction(async (tx) => {
    const sub = await ownSubscription(tx, userId, subscriptionId, true);
    if (sub.scheduledPriceId === null && sub.scheduledQuantity === null) throw new SubscriptionActionError(409, 'nothing_scheduled', 'This subscription has no scheduled plan change to cancel.');
    const [updated] = await tx.update(subscriptions).set({ scheduledPriceId: null, scheduledQuantity: null, updatedAt: now }).where(eq(subscriptions.id, sub.id)).returning();
    await writeAudit(tx, {
      actorType: 'user',
      actorId: userId,
      action: 'subscription.scheduled_change_canceled',
      entityType: 'subscription',
      entityId: sub.id,
      before: { priceId: sub.priceId, quantity: sub.quantity, scheduledPriceId: sub.scheduledPriceId, scheduledQuantity: sub.scheduledQuantity },
      after: { priceId: updated.priceId, quantity: updated.quantity, scheduledPriceId: null, scheduledQuantity: null },
    });
    return updated;
  });
}
