/**
 * Coupons in the database: an admin creates, deactivates and applies them to subscriptions; checkout
 * finds the one a customer may redeem now. The rules themselves are lib/billing/coupons.ts.
 *
 * Redemption limits count completed redemptions and, so that two customers paying at once cannot both
 * take the last one, the open checkouts holding the coupon (for COUPON_HOLD_MS after they were last
 * started or resumed). Both are counted with the coupon row locked, in the transaction that opens the
 * checkout; fulfilment records the redemption and flags one that went over a limit meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, gt, inArray, ne, not, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { checkouts, couponRedemptions, coupons, payments, prices, products, subscriptions, type Coupon } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { assertCouponDefinition, BillingInputError, checkRedemption, discountAppliesToPeriod, normalizeCouponCode, type CouponDefinition, type CouponDiscount, type CouponDuration, type RedeemableCoupon, type RedemptionRefusal } from '@/lib/billing';
import { isCurrentSubscriptionStatus } from '@/lib/checkout/validate';
import { isUuid } from '@/lib/ids';

export type CouponErrorCode = RedemptionRefusal | 'invalid_code' | 'unknown_code' | 'invalid_coupon' | 'code_taken' | 'not_applicable' | 'already_applied';

/** A coupon that cannot be created, found or redeemed; the message is written for the person who tried. */
export class CouponError extends Error {
  constructor(
    readonly code: CouponErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CouponError';
  }
}

/** How long an open checkout holds its coupon against the limits after it was last started or resumed. */
export const COUPON_HOLD_MS = 60 * 60 * 1000;

/** A stored coupon's discount: a percentage or amounts per currency (the table holds exactly one). */
export function couponDiscountOf(row: Pick<Coupon, 'percentOff' | 'amountsOff'>): CouponDiscount {
  return row.percentOff !== null ? { kind: 'percent', percentOff: row.percentOff } : { kind: 'fixed', amountsOff: row.amountsOff ?? {} };
}

export function couponDefinition(row: Coupon): RedeemableCoupon {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    discount: couponDiscountOf(row),
    duration: row.duration,
    durationInPeriods: row.durationInPeriods,
    redeemBy: row.redeemBy?.getTime() ?? null,
    maxRedemptions: row.maxRedemptions,
    maxRedemptionsPerCustomer: row.maxRedemptionsPerCustomer,
    productIds: row.productIds,
    firstTimeOnly: row.firstTimeOnly,
    active: row.active,
  };
}

/**
 * A subscription's coupon columns once `invoicesCounted` of its invoices have counted against the
 * coupon: it stays while its duration covers the next invoice, so renewals can pass it on unchecked.
 */
export function couponColumns(coupon: CouponDefinition, invoicesCounted: number): { couponId: string | null; couponInvoices: number } {
  return { couponId: discountAppliesToPeriod(coupon, invoicesCounted) ? coupon.id : null, couponInvoices: invoicesCounted };
}

/** What is being bought with the coupon, and by whom. */
export interface RedemptionTarget {
  customerId: string;
  productId: string;
  productName: string;
  /** At checkout: the customer's other open attempts for this product are this same purchase (card and PayPal tabs, monthly or yearly). */
  atCheckout: boolean;
  currency: string;
  now: Date;
}

/** The coupon's completed redemptions: in all, and by this customer. */
export async function completedRedemptions(tx: DbOrTx, couponId: string, customerId: string): Promise<{ all: number; mine: number }> {
  const [done] = await tx
    .select({ all: count(), mine: sql<number>`count(*) filter (where ${couponRedemptions.customerId} = ${customerId})`.mapWith(Number) })
    .from(couponRedemptions)
    .where(eq(couponRedemptions.couponId, couponId));
  return done;
}

/**
 * Redemptions so far, for the limits: completed ones, and the open checkouts started or resumed within
 * the hold, one per customer and product (a customer's tabs, monthly or yearly, are one purchase),
 * leaving out this purchase itself.
 */
async function redemptionCounts(tx: DbOrTx, couponId: string, target: RedemptionTarget): Promise<{ redemptions: number; customerRedemptions: number }> {
  const done = await completedRedemptions(tx, couponId, target.customerId);
  const samePurchase = target.atCheckout ? and(eq(checkouts.customerId, target.customerId), eq(prices.productId, target.productId)) : undefined;
  const [held] = await tx
    .select({
      all: sql<number>`count(distinct (${checkouts.customerId}, ${prices.productId}))`.mapWith(Number),
      mine: sql<number>`count(distinct ${prices.productId}) filter (where ${checkouts.customerId} = ${target.customerId})`.mapWith(Number),
    })
    .from(checkouts)
    .innerJoin(prices, eq(prices.id, checkouts.priceId))
    .where(and(eq(checkouts.couponId, couponId), eq(checkouts.status, 'open'), gt(checkouts.updatedAt, new Date(target.now.getTime() - COUPON_HOLD_MS)), samePurchase ? not(samePurchase) : undefined));
  return { redemptions: done.all + held.all, customerRedemptions: done.mine + held.mine };
}

async function hasPaidBefore(tx: DbOrTx, customerId: string): Promise<boolean> {
  const [paid] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.customerId, customerId), eq(payments.status, 'succeeded'))).limit(1);
  return paid !== undefined;
}

/** The coupon with this code, or a CouponError for a malformed or unknown one. */
export async function findCoupon(tx: DbOrTx, typed: string): Promise<RedeemableCoupon> {
  let code: string;
  try {
    code = normalizeCouponCode(typed);
  } catch {
    throw new CouponError('invalid_code', 'A code is 3 to 40 letters, digits, "-" or "_".');
  }
  const [row] = await tx.select().from(coupons).where(eq(coupons.code, code));
  if (!row) throw new CouponError('unknown_code', `There is no code ${code}.`);
  return couponDefinition(row);
}

/**
 * The coupon row, locked until the transaction ends, as it is now: a limit counted under the lock
 * still holds when the caller records its redemption or open checkout. NO KEY UPDATE, so rows that
 * only reference the coupon are not blocked. Lock it after any checkout row, as fulfilment does.
 */
export async function lockCoupon(tx: DbOrTx, couponId: string): Promise<RedeemableCoupon> {
  const [row] = await tx.select().from(coupons).where(eq(coupons.id, couponId)).for('no key update');
  return couponDefinition(row);
}

/** Throws a CouponError with the reason this customer may not redeem the coupon for this purchase now. */
export async function assertRedeemable(tx: DbOrTx, coupon: RedeemableCoupon, target: RedemptionTarget): Promise<void> {
  const check = checkRedemption(coupon, {
    now: target.now.getTime(),
    currency: target.currency,
    productId: target.productId,
    productName: target.productName,
    ...(await redemptionCounts(tx, coupon.id, target)),
    customerHasPaidBefore: coupon.firstTimeOnly ? await hasPaidBefore(tx, target.customerId) : false,
  });
  if (!check.ok) throw new CouponError(check.reason, check.message);
}

/** The largest limit or period count stored (a PostgreSQL integer). */
const MAX_COUNT = 2_147_483_647;

export interface NewCoupon {
  code: string;
  name: string;
  discount: CouponDiscount;
  duration: CouponDuration;
  durationInPeriods: number | null;
  redeemBy: Date | null;
  maxRedemptions: number | null;
  maxRedemptionsPerCustomer: number | null;
  productIds: string[] | null;
  firstTimeOnly: boolean;
}

/** Creates a coupon; a CouponError names what is wrong with it (the code is taken, a value out of range). */
export async function createCoupon(db: Database, input: NewCoupon, actorId: string): Promise<Coupon> {
  let code: string;
  try {
    code = normalizeCouponCode(input.code);
  } catch (error) {
    throw new CouponError('invalid_coupon', (error as Error).message);
  }
  const definition: CouponDefinition = { ...input, id: randomUUID(), code, redeemBy: input.redeemBy?.getTime() ?? null };
  try {
    assertCouponDefinition(definition);
  } catch (error) {
    if (error instanceof BillingInputError) throw new CouponError('invalid_coupon', error.message.replace(`coupon ${definition.id}: `, ''));
    throw error;
  }
  for (const [field, value] of [['maxRedemptions', input.maxRedemptions], ['maxRedemptionsPerCustomer', input.maxRedemptionsPerCustomer], ['durationInPeriods', input.durationInPeriods]] as const) {
    if (value !== null && value > MAX_COUNT) throw new CouponError('invalid_coupon', `${field} must be at most ${MAX_COUNT}.`);
  }
  if (input.productIds?.some((id) => !isUuid(id))) throw new CouponError('invalid_coupon', 'One of the chosen plans does not exist.');
  if (input.productIds) {
    const found = await db.select({ id: products.id }).from(products).where(inArray(products.id, input.productIds));
    if (found.length !== new Set(input.productIds).size) throw new CouponError('invalid_coupon', 'One of the chosen plans does not exist.');
  }
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(coupons)
      .values({
        id: definition.id,
        code,
        name: input.name.trim(),
        percentOff: input.discount.kind === 'percent' ? input.discount.percentOff : null,
        amountsOff: input.discount.kind === 'fixed' ? input.discount.amountsOff : null,
        duration: input.duration,
        durationInPeriods: input.durationInPeriods,
        redeemBy: input.redeemBy,
        maxRedemptions: input.maxRedemptions,
        maxRedemptionsPerCustomer: input.maxRedemptionsPerCustomer,
        productIds: input.productIds,
        firstTimeOnly: input.firstTimeOnly,
      })
      .onConflictDoNothing({ target: coupons.code })
      .returning();
    if (!created) throw new CouponError('code_taken', `Another coupon already has the code ${code}.`);
    await writeAudit(tx, { actorType: 'user', actorId, action: 'coupon.created', entityType: 'coupon', entityId: created.id, after: { code, name: created.name } });
    return created;
  });
}

/** Stops (or resumes) new redemptions; subscriptions already discounted keep their discount. */
export async function setCouponActive(db: Database, couponId: string, active: boolean, actorId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [updated] = await tx.update(coupons).set({ active, updatedAt: new Date() }).where(and(eq(coupons.id, couponId), ne(coupons.active, active))).returning({ id: coupons.id });
    if (updated) await writeAudit(tx, { actorType: 'user', actorId, action: active ? 'coupon.activated' : 'coupon.deactivated', entityType: 'coupon', entityId: couponId, after: { active } });
  });
}

/**
 * An admin applies a coupon to a current subscription: its next invoice is the first the coupon
 * discounts. The customer must be allowed to redeem it (limits, plan, expiry), as at checkout.
 */
export async function applyCouponToSubscription(db: Database, input: { subscriptionId: string; code: string; actorId: string }, now: Date): Promise<RedeemableCoupon> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ sub: subscriptions, product: products, price: prices })
      .from(subscriptions)
      .innerJoin(products, eq(products.id, subscriptions.productId))
      .innerJoin(prices, eq(prices.id, subscriptions.priceId))
      .where(eq(subscriptions.id, input.subscriptionId))
      .for('update', { of: subscriptions });
    if (!row) throw new CouponError('not_applicable', 'There is no such subscription.');
    const { sub, product, price } = row;
    if (!isCurrentSubscriptionStatus(sub.status)) throw new CouponError('not_applicable', `A ${sub.status} subscription cannot get a coupon.`);
    if (sub.couponId) throw new CouponError('already_applied', 'This subscription already has a coupon; it can have one at a time.');
    const coupon = await lockCoupon(tx, (await findCoupon(tx, input.code)).id);
    try {
      await assertRedeemable(tx, coupon, { customerId: sub.customerId, productId: product.id, productName: product.name, atCheckout: false, currency: price.currency, now });
    } catch (error) {
      // The refusals are worded for the customer; the admin reads them about the customer.
      const forAdmin: Partial<Record<CouponErrorCode, string>> = {
        customer_limit_reached: 'This customer has already used this code as often as it allows.',
        first_time_only: 'This code is for first-time customers only, and this customer has paid before.',
      };
      if (error instanceof CouponError && forAdmin[error.code]) throw new CouponError(error.code, forAdmin[error.code]!);
      throw error;
    }
    const [redemption] = await tx
      .insert(couponRedemptions)
      .values({ couponId: coupon.id, customerId: sub.customerId, subscriptionId: sub.id, redeemedBy: input.actorId })
      .onConflictDoNothing()
      .returning({ id: couponRedemptions.id });
    if (!redemption) throw new CouponError('already_applied', `${coupon.code} was already applied to this subscription once.`);
    await tx.update(subscriptions).set({ couponId: coupon.id, couponInvoices: 0, updatedAt: now }).where(eq(subscriptions.id, sub.id));
    await writeAudit(tx, { actorType: 'user', actorId: input.actorId, action: 'subscription.coupon_applied', entityType: 'subscription', entityId: sub.id, after: { couponId: coupon.id, code: coupon.code } });
    return coupon;
  });
}

export interface CouponListRow {
  coupon: Coupon;
  redemptions: number;
}

/** Every coupon, newest first, with its redemption count (the admin list). */
export async function listCoupons(db: DbOrTx): Promise<CouponListRow[]> {
  return db
    .select({ coupon: coupons, redemptions: count(couponRedemptions.id) })
    .from(coupons)
    .leftJoin(couponRedemptions, eq(couponRedemptions.couponId, coupons.id))
    .groupBy(coupons.id)
    .orderBy(desc(coupons.createdAt), desc(coupons.id));
}

/** The coupons of these subscriptions, by subscription id (the billing run, invoices of plan changes). */
export async function subscriptionCoupons(tx: DbOrTx, subs: ReadonlyArray<{ id: string; couponId: string | null }>): Promise<Map<string, RedeemableCoupon>> {
  const ids = [...new Set(subs.flatMap((sub) => (sub.couponId ? [sub.couponId] : [])))];
  if (ids.length === 0) return new Map();
  const byId = new Map((await tx.select().from(coupons).where(inArray(coupons.id, ids))).map((row) => [row.id, couponDefinition(row)]));
  return new Map(subs.flatMap((sub) => (sub.couponId ? [[sub.id, byId.get(sub.couponId)!] as const] : [])));
}
