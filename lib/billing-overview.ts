/**
 * The billing page's lists: the customer's subscriptions (with a change scheduled for the period end
 * and what each plan's features allow now), invoices and checkout receipts, newest first.
 */
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/db/client';
import { checkouts, coupons, customers, invoices, paymentMethods, prices, products, subscriptions, type Coupon, type PaymentMethodSummary, type Price } from '@/db/schema';
import { amountOffText, invoicesCovered } from '@/lib/billing';
import { couponDiscountOf } from '@/lib/coupons';
import { displayDate } from '@/lib/format';
import { availableUsageAddOns, type UsageAddOn } from '@/lib/usage/items';
import { usageSoFar, type UsageSoFar } from '@/lib/usage/rating';
import { decideFeatureAccess, gracePeriodMs, toEntitled, type EntitlementSettings, type FeatureAccess } from '@/lib/subscriptions/entitlements';

export interface ScheduledChange {
  productName: string;
  cadence: string;
  quantity: number;
  perSeat: boolean;
  /** The renewal that applies it: the end of the current period. */
  effectiveAt: Date;
}

export interface BillingOverview {
  subscriptions: Array<{
    id: string;
    productName: string;
    status: string;
    quantity: number;
    perSeat: boolean;
    interval: string | null;
    currentPeriodEnd: Date;
    trialEnd: Date | null;
    cancelAtPeriodEnd: boolean;
    scheduledChange: ScheduledChange | null;
    /** The plan's features, each with whether the customer may use it now (from any of their subscriptions). */
    features: FeatureAccess[];
    /** What this subscription's state means for its features (past due, restricted, ...), or null when they are simply included. */
    accessNote: { text: string; restricted: boolean } | null;
    /** Metered add-ons on it, with the usage not yet invoiced; and those the customer could add. */
    usage: UsageSoFar[];
    addOns: UsageAddOn[];
    /** The coupon discounting its next invoices, in words: "Launch offer: 20% off the next 2 invoices". */
    discount: string | null;
  }>;
  purchases: Array<{ checkoutId: string; productName: string; total: number; currency: string; completedAt: Date | null }>;
  invoices: Array<{
    id: string;
    number: string;
    status: string;
    total: number;
    amountDue: number;
    amountPaid: number;
    currency: string;
    finalizedAt: Date | null;
    /** Dunning: set once a charge of it failed; the next scheduled retry, if any. */
    firstFailedAt: Date | null;
    nextPaymentAttemptAt: Date | null;
  }>;
  /** Saved payment methods, the default (the one renewals charge) first. */
  paymentMethods: Array<{ id: string; summary: PaymentMethodSummary; isDefault: boolean }>;
}

const ADVERB: Record<NonNullable<Price['interval']>, string> = { week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'yearly' };

/** "monthly", or "every 2 months" for a longer cycle. */
export function cadenceLabel(interval: NonNullable<Price['interval']>, intervalCount: number): string {
  return intervalCount === 1 ? ADVERB[interval] : `every ${intervalCount} ${interval}s`;
}

/** "Changes to Starter (monthly), 2 seats, on Mar 31, 2027" (seats only for a per-seat plan). */
export function describeScheduledChange(change: ScheduledChange): string {
  const seats = change.perSeat ? `, ${change.quantity} ${change.quantity === 1 ? 'seat' : 'seats'}` : '';
  return `Changes to ${change.productName} (${change.cadence})${seats}, on ${displayDate(change.effectiveAt, 'short')}`;
}

/** What a feature's access means for the customer, or null when there is nothing to say (it is simply included). */
export function describeAccess(access: FeatureAccess): string | null {
  const date = (t: number | null) => (t === null ? '' : displayDate(new Date(t), 'short'));
  switch (access.reason) {
    case 'active':
    case 'trialing':
      return null;
    case 'past_due_within_grace':
      return `Payment past due since ${date(access.pastDueSince)}; access continues until ${date(access.graceEndsAt)}. Pay the open invoice to keep it.`;
    case 'past_due_grace_expired':
      return `Access restricted: payment past due since ${date(access.pastDueSince)}; the grace period ended ${date(access.graceEndsAt)}. Pay the open invoice to restore it.`;
    case 'paused':
      return 'Access restricted: this subscription is paused.';
    case 'unpaid':
      return 'Access restricted: this subscription is unpaid.';
    case 'canceled':
      return 'Access ended: this subscription is canceled.';
    case 'feature_not_in_plan':
      return 'Not included in your plan.';
    case 'no_subscription':
      return 'No subscription includes it.';
  }
}

/** A subscription's coupon as the customer reads it, with the invoices it still discounts. */
export function describeDiscount(coupon: Pick<Coupon, 'name' | 'percentOff' | 'amountsOff' | 'duration' | 'durationInPeriods'>, invoicesCounted: number, currency: string): string {
  const off = amountOffText(couponDiscountOf(coupon), currency);
  const covered = invoicesCovered(coupon);
  const left = covered === null ? null : covered - invoicesCounted;
  const which = left === null ? 'every invoice' : left === 1 ? 'the next invoice' : `the next ${left} invoices`;
  return `${coupon.name}: ${off ? `${off} off` : 'a discount on'} ${which}`;
}

export async function billingOverview(db: DbOrTx, userId: string, now: Date, settings: EntitlementSettings): Promise<BillingOverview> {
  const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.userId, userId));
  if (!customer) return { subscriptions: [], purchases: [], invoices: [], paymentMethods: [] };
  const scheduledPrice = alias(prices, 'scheduled_price');
  const scheduledProduct = alias(products, 'scheduled_product');
  const subs = await db
    .select({ sub: subscriptions, product: products, price: prices, scheduledPrice, scheduledProduct, coupon: coupons })
    .from(subscriptions)
    .innerJoin(products, eq(products.id, subscriptions.productId))
    .innerJoin(prices, eq(prices.id, subscriptions.priceId))
    .leftJoin(coupons, eq(coupons.id, subscriptions.couponId))
    .leftJoin(scheduledPrice, eq(scheduledPrice.id, subscriptions.scheduledPriceId))
    .leftJoin(scheduledProduct, eq(scheduledProduct.id, scheduledPrice.productId))
    .where(eq(subscriptions.customerId, customer.id))
    .orderBy(desc(subscriptions.createdAt));
  const done = await db
    .select({ checkout: checkouts, product: products })
    .from(checkouts)
    .innerJoin(prices, eq(prices.id, checkouts.priceId))
    .innerJoin(products, eq(products.id, prices.productId))
    .where(and(eq(checkouts.customerId, customer.id), eq(checkouts.status, 'completed')))
    .orderBy(desc(checkouts.completedAt));
  const bills = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.customerId, customer.id), ne(invoices.status, 'draft')))
    .orderBy(desc(invoices.finalizedAt))
    .limit(50);
  const methods = await db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.customerId, customer.id), isNull(paymentMethods.removedAt)))
    .orderBy(desc(paymentMethods.isDefault), desc(paymentMethods.createdAt));
  // Every subscription takes part, so a feature another plan grants shows as available.
  const entitled = subs.map(({ sub, product }) => toEntitled({ ...sub, productName: product.name, features: product.features }));
  const access = (feature: string) => decideFeatureAccess(entitled, feature, now.getTime(), gracePeriodMs(settings));
  const current = subs.filter(({ sub }) => sub.status !== 'canceled');
  const [usage, addOns] = await Promise.all([usageSoFar(db, current.map(({ sub }) => sub)), availableUsageAddOns(db, current.map(({ sub, price }) => ({ sub, plan: price })))]);
  return {
    invoices: bills.map((i) => ({
      id: i.id,
      number: i.number!,
      status: i.status,
      total: i.total,
      amountDue: i.amountDue,
      amountPaid: i.amountPaid,
      currency: i.currency,
      finalizedAt: i.finalizedAt,
      firstFailedAt: i.firstFailedAt,
      nextPaymentAttemptAt: i.nextPaymentAttemptAt,
    })),
    paymentMethods: methods.map((m) => ({ id: m.id, summary: m.summary, isDefault: m.isDefault })),
    subscriptions: subs.map(({ sub, product, price, scheduledPrice: nextPrice, scheduledProduct: nextProduct, coupon }) => {
      const changing = sub.scheduledPriceId !== null || sub.scheduledQuantity !== null;
      // A seat-only change keeps the price: the scheduled price columns are then the current ones.
      const target = nextPrice && nextProduct ? { price: nextPrice, product: nextProduct } : { price, product };
      const features = sub.status === 'canceled' ? [] : product.features.map(access);
      // The note speaks of this subscription: a feature granted by another plan says nothing about it.
      const ownAccess = features.find((f) => f.subscriptionId === sub.id);
      const note = ownAccess ? describeAccess(ownAccess) : null;
      return {
        id: sub.id,
        productName: product.name,
        status: sub.status,
        quantity: sub.quantity,
        perSeat: product.perSeat,
        interval: price.interval,
        currentPeriodEnd: sub.currentPeriodEnd,
        trialEnd: sub.trialEnd,
        cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
        scheduledChange:
          changing && target.price.interval && target.price.intervalCount
            ? {
                productName: target.product.name,
                cadence: cadenceLabel(target.price.interval, target.price.intervalCount),
                quantity: sub.scheduledQuantity ?? sub.quantity,
                perSeat: target.product.perSeat,
                effectiveAt: sub.currentPeriodEnd,
              }
            : null,
        features,
        accessNote: note ? { text: note, restricted: !ownAccess!.allowed } : null,
        usage: usage.get(sub.id) ?? [],
        addOns: addOns.get(sub.id) ?? [],
        discount: coupon && sub.status !== 'canceled' ? describeDiscount(coupon, sub.couponInvoices, price.currency) : null,
      };
    }),
    purchases: done.map(({ checkout, product }) => ({ checkoutId: checkout.id, productName: product.name, total: checkout.total, currency: checkout.currency, completedAt: checkout.completedAt })),
  };
}
