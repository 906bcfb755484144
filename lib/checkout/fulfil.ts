/**
 * Fulfilment: once the provider confirms a checkout (re-read from the provider, never taken from the
 * browser), create the subscription or the order, complete the checkout, record the payment, save
 * the payment method as default, write the audit log and queue the receipt, all in one transaction.
 * The checkout row is locked first and the subscription/order are unique per checkout, so the
 * webhook and the return page racing (or any repeat) fulfil once; the later call is a no-op.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { checkouts, couponRedemptions, customers, orders, payments, prices, products, providerCustomers, subscriptions, type Checkout } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { formatMoney, formatUtcDate, money, type RedeemableCoupon } from '@/lib/billing';
import { completedRedemptions, couponColumns, lockCoupon } from '@/lib/coupons';
import { queueEmail } from '@/lib/email/outbox';
import { lockCustomer } from '@/lib/invoices/balance';
import { checkoutReceiptEmail } from '@/lib/email/templates';
import { makeDefaultPaymentMethod, recordSavedPaymentMethod } from '@/lib/payments/payment-methods';
import { recordPaymentReport } from '@/lib/payments/records';
import { CheckoutConflictError, CheckoutNotFoundError, CheckoutPaymentFailedError } from './errors';
import { confirmAtProvider, type Confirmation, type SavedMethod } from './provider-confirmation';
import { quoteCheckout } from './quote';
import { CURRENT_SUBSCRIPTION_STATUSES } from './validate';
import type { CheckoutDeps } from './start';

export type FulfilResult =
  | { status: 'completed'; checkoutId: string; subscriptionId: string | null; orderId: string | null; alreadyFulfilled: boolean }
  | { status: 'pending'; checkoutId: string; providerStatus: string }
  /** The customer already had the product: nothing was created and the payment awaits a refund. */
  | { status: 'duplicate'; checkoutId: string; subscriptionId: string; productName: string };

export interface FulfilActor {
  type: 'user' | 'system' | 'provider';
  id: string | null;
}

async function loadCheckout(db: DbOrTx, checkoutId: string, lock: boolean): Promise<Checkout> {
  const query = db.select().from(checkouts).where(eq(checkouts.id, checkoutId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new CheckoutNotFoundError();
  return row;
}

/**
 * Locks a checkout's row. A transaction that changes a checkout and its payment locks the checkout
 * first and the payment second (recordPaymentReport), as applyConfirmation does: the return page and
 * a webhook fulfilling one checkout at the same moment then wait for each other instead of deadlocking.
 */
export function lockCheckout(tx: DbOrTx, checkoutId: string): Promise<Checkout> {
  return loadCheckout(tx, checkoutId, true);
}

async function saveMethod(tx: DbOrTx, customerId: string, method: SavedMethod): Promise<void> {
  // PayPal names its vault customer only when it saves the first account: remember it for this customer.
  if (method.provider === 'paypal') {
    await tx.insert(providerCustomers).values({ customerId, provider: 'paypal', providerCustomerId: method.providerCustomerId }).onConflictDoNothing();
  }
  const saved = await recordSavedPaymentMethod(tx, method);
  if (saved.kind !== 'unknown' && saved.record.customerId === customerId) await makeDefaultPaymentMethod(tx, customerId, saved.record.id);
}

/**
 * The pending payments row of a `payment` checkout, created once and linked to it. Start calls it when
 * the intent exists; for a hosted page the PaymentIntent appears only at payment, so fulfilment does.
 */
export async function attachPayment(tx: DbOrTx, checkout: Checkout, providerPaymentId: string, description: string): Promise<string> {
  await tx
    .insert(payments)
    .values({ customerId: checkout.customerId, provider: checkout.provider, providerPaymentId, amount: checkout.amountDueToday, currency: checkout.currency, status: 'pending', description })
    .onConflictDoNothing({ target: [payments.provider, payments.providerPaymentId] });
  const [payment] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.provider, checkout.provider), eq(payments.providerPaymentId, providerPaymentId)));
  await tx.update(checkouts).set({ paymentId: payment.id }).where(and(eq(checkouts.id, checkout.id), isNull(checkouts.paymentId)));
  return payment.id;
}

/** Closes an open attempt whose provider object can no longer be paid. */
export async function cancelAttempt(tx: DbOrTx, checkout: Checkout, now: Date, actor: FulfilActor, reason: string): Promise<void> {
  const canceled = await tx.update(checkouts).set({ status: 'canceled', updatedAt: now }).where(and(eq(checkouts.id, checkout.id), eq(checkouts.status, 'open'))).returning({ id: checkouts.id });
  if (canceled.length === 0) return;
  await writeAudit(tx, { actorType: actor.type, actorId: actor.id, action: 'checkout.canceled', entityType: 'checkout', entityId: checkout.id, before: { status: checkout.status }, after: { status: 'canceled' }, metadata: { reason } });
}

/**
 * The checkout's coupon redemption, with the coupon row locked. The customer has paid the discounted
 * price, so it is recorded even when a limit was reached meanwhile (an attempt left open past its
 * hold); that is flagged in the audit log.
 */
async function recordRedemption(tx: DbOrTx, checkout: Checkout, coupon: RedeemableCoupon, subscriptionId: string | null, actor: FulfilActor): Promise<void> {
  const done = await completedRedemptions(tx, coupon.id, checkout.customerId);
  const inserted = await tx.insert(couponRedemptions).values({ couponId: coupon.id, customerId: checkout.customerId, checkoutId: checkout.id, subscriptionId, redeemedBy: 'checkout' }).onConflictDoNothing().returning({ id: couponRedemptions.id });
  const overLimit = (coupon.maxRedemptions !== null && done.all >= coupon.maxRedemptions) || (coupon.maxRedemptionsPerCustomer !== null && done.mine >= coupon.maxRedemptionsPerCustomer);
  if (inserted.length > 0 && overLimit) {
    await writeAudit(tx, { actorType: actor.type, actorId: actor.id, action: 'coupon.redeemed_over_limit', entityType: 'coupon', entityId: coupon.id, after: { checkoutId: checkout.id, customerId: checkout.customerId, redemptionsBefore: done.all, customerRedemptionsBefore: done.mine } });
  }
}

/** Fulfils the checkout if the provider confirms it; throws CheckoutPaymentFailedError on a decline. */
export async function fulfilCheckout(deps: CheckoutDeps, checkoutId: string, now: Date, actor: FulfilActor): Promise<FulfilResult> {
  const before = await loadCheckout(deps.db, checkoutId, false);
  const existing = async () => {
    const [sub] = await deps.db.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.checkoutId, checkoutId));
    const [order] = await deps.db.select({ id: orders.id }).from(orders).where(eq(orders.checkoutId, checkoutId));
    return { status: 'completed' as const, checkoutId, subscriptionId: sub?.id ?? null, orderId: order?.id ?? null, alreadyFulfilled: true };
  };
  if (before.status === 'completed') return existing();
  if (before.status === 'canceled') throw new CheckoutPaymentFailedError('checkout_canceled', 'This checkout was canceled. Start again from the pricing page.', '/pricing');

  const confirmation = await confirmAtProvider(deps.gateways, before);

  const result = await deps.db.transaction((tx) => applyConfirmation(tx, deps, checkoutId, confirmation, now, actor));
  if (confirmation.outcome === 'failed') throw new CheckoutPaymentFailedError('payment_failed', confirmation.message);
  if (result?.status === 'duplicate') {
    throw new CheckoutConflictError('already_subscribed', `You already have ${result.productName}, so this payment did not start a second subscription. It is recorded for a refund.`, '/billing');
  }
  return result ?? existing();
}

/**
 * The transactional half of fulfilment, apart so a webhook handler can run it inside the transaction
 * that marks its event processed (its `load` calls confirmAtProvider). Returns null when there is
 * nothing to report: already fulfilled, or a failure (recorded; the caller decides how to answer).
 */
export async function applyConfirmation(
  tx: DbOrTx,
  deps: Pick<CheckoutDeps, 'boss' | 'appUrl'>,
  checkoutId: string,
  confirmation: Confirmation,
  now: Date,
  actor: FulfilActor,
): Promise<FulfilResult | null> {
  const locked = await lockCheckout(tx, checkoutId);
  if (locked.status === 'completed') return null;
  const [{ price, product, customer }] = await tx
    .select({ price: prices, product: products, customer: customers })
    .from(prices)
    .innerJoin(products, eq(products.id, prices.productId))
    .innerJoin(customers, eq(customers.id, locked.customerId))
    .where(eq(prices.id, locked.priceId));
  const report = confirmation.report;
  const checkout =
    report && locked.kind === 'payment' && !locked.paymentId
      ? { ...locked, paymentId: await attachPayment(tx, locked, report.providerPaymentId, product.name) }
      : locked;
  if (report) await recordPaymentReport(tx, report);
  if (confirmation.outcome === 'pending') return { status: 'pending', checkoutId, providerStatus: confirmation.providerStatus };
  if (confirmation.outcome === 'failed') {
    // The failed payment is recorded; fulfilCheckout throws after commit. A dead provider object frees
    // the idempotency key, so the customer's next start gets a fresh attempt instead of it.
    if (confirmation.terminal) await cancelAttempt(tx, checkout, now, actor, confirmation.message);
    return null;
  }

  // Locked after the checkout row, in the order a checkout start takes them.
  const coupon = checkout.couponId ? await lockCoupon(tx, checkout.couponId) : null;
  // Only the periods are read from this quote; the amounts are the ones recorded on the checkout, tax included.
  const quote = quoteCheckout({ price, product, quantity: checkout.quantity, now: now.getTime(), tax: null });

  let subscriptionId: string | null = null;
  let orderId: string | null = null;
  const plan = quote.subscription;
  if (plan) {
    // The customer's row serializes this check with the insert below: two tabs paying for one product at
    // the same moment make the second a duplicate, not a unique-index error.
    await lockCustomer(tx, checkout.customerId);
    const [current] = await tx
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.customerId, checkout.customerId), eq(subscriptions.productId, product.id), inArray(subscriptions.status, [...CURRENT_SUBSCRIPTION_STATUSES])));
    if (current) {
      // Paid in two tabs at once: the second payment is kept on record, not turned into a second subscription.
      await cancelAttempt(tx, checkout, now, actor, `duplicate: the customer already has ${product.name}`);
      await writeAudit(tx, { actorType: actor.type, actorId: actor.id, action: 'checkout.duplicate_payment', entityType: 'checkout', entityId: checkout.id, after: { subscriptionId: current.id, paymentId: checkout.paymentId, amount: checkout.amountDueToday, currency: checkout.currency } });
      return { status: 'duplicate', checkoutId, subscriptionId: current.id, productName: product.name };
    }
    const trial = plan.trialEnd !== null;
    const [sub] = await tx
      .insert(subscriptions)
      .values({
        customerId: checkout.customerId,
        productId: product.id,
        priceId: price.id,
        quantity: checkout.quantity,
        status: trial ? 'trialing' : 'active',
        provider: checkout.provider,
        currentPeriodStart: new Date(plan.currentPeriod.start),
        currentPeriodEnd: new Date(plan.currentPeriod.end),
        trialEnd: plan.trialEnd !== null ? new Date(plan.trialEnd) : null,
        billingCycleAnchor: new Date(plan.anchor),
        checkoutId: checkout.id,
        // The checkout's payment (or free first period) is the first invoice the coupon covered; a trial's comes later.
        ...(coupon ? couponColumns(coupon, trial ? 0 : 1) : {}),
        // The first paid period is today's (a trial's comes at its end, with its renewal).
        periodDiscount: trial ? 0 : checkout.discount,
      })
      .returning({ id: subscriptions.id });
    subscriptionId = sub.id;
  } else {
    const [order] = await tx
      .insert(orders)
      .values({ customerId: checkout.customerId, productId: product.id, priceId: price.id, quantity: checkout.quantity, amount: checkout.total, currency: checkout.currency, paymentId: checkout.paymentId!, checkoutId: checkout.id })
      .returning({ id: orders.id });
    orderId = order.id;
  }

  if (coupon) await recordRedemption(tx, checkout, coupon, subscriptionId, actor);
  if (confirmation.method) await saveMethod(tx, checkout.customerId, confirmation.method);
  await tx.update(checkouts).set({ status: 'completed', completedAt: now, updatedAt: now }).where(eq(checkouts.id, checkout.id));
  await writeAudit(tx, {
    actorType: actor.type,
    actorId: actor.id,
    action: 'checkout.completed',
    entityType: 'checkout',
    entityId: checkout.id,
    before: { status: checkout.status },
    after: { status: 'completed', subscriptionId, orderId, amountPaid: checkout.amountDueToday, currency: checkout.currency, couponId: checkout.couponId, discount: checkout.discount },
  });

  const format = (amount: number) => formatMoney(money(amount, checkout.currency));
  const trialEnd = plan?.trialEnd ? formatUtcDate(plan.trialEnd) : null;
  await queueEmail(
    tx,
    deps.boss,
    customer.email,
    checkoutReceiptEmail({
      productName: product.name,
      quantity: checkout.quantity,
      amountPaid: trialEnd ? null : format(checkout.amountDueToday),
      trialEndsOn: trialEnd,
      nextCharge: plan ? { on: formatUtcDate(plan.nextChargeAt), amount: format(checkout.nextChargeAmount ?? checkout.total) } : null,
      billingUrl: `${deps.appUrl}/billing`,
    }),
  );
  return { status: 'completed', checkoutId, subscriptionId, orderId, alreadyFulfilled: false };
}
