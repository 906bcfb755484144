/**
 * Starting a checkout: validate against the catalog, quote, record the attempt, and create the
 * provider object the browser completes (Stripe PaymentIntent / SetupIntent, PayPal order).
 * Idempotent: while an attempt for the same customer, price, quantity and provider is open, every
 * request returns that attempt and its intent (the provider calls carry keys derived from its id).
 */
import { and, count, eq, gte, isNull } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '@/db/client';
import { checkouts, payments, type Checkout } from '@/db/schema';
import { toMajorUnitString } from '@/lib/money';
import type { Gateways } from '@/lib/payments/gateways';
import { recordPaymentReport } from '@/lib/payments/records';
import { ensureCustomer, ensureStripeCustomer, providerCustomerId } from './customer';
import { CheckoutConflictError, CheckoutRateLimitedError, CheckoutRequestError } from './errors';
import { checkCheckoutCoupon, findCheckoutCoupon } from './coupon';
import { attachPayment, cancelAttempt } from './fulfil';
import { checkoutPath } from './path';
import { quoteCheckout, type CheckoutQuote } from './quote';
import type { SellerTaxSettings } from '@/lib/billing';
import { hasBillingAddress } from '@/lib/billing-details';
import { taxContextFor } from '@/lib/tax';
import { resolveCheckoutRequest, type CheckoutProvider, type CheckoutRequest, type ResolvedCheckout } from './validate';

export interface CheckoutDeps {
  db: Database;
  gateways: Gateways;
  boss: PgBoss;
  /** Public URL of the app, for return links and emails. */
  appUrl: string;
  /** Where the seller collects tax (from the settings). */
  tax: SellerTaxSettings;
}

export interface StartedCheckout {
  checkoutId: string;
  provider: 'stripe' | 'paypal';
  kind: 'payment' | 'setup';
  /** Stripe: for confirmPayment / confirmSetup in the browser. */
  clientSecret: string | null;
  /** PayPal: the order the PayPal button approves. */
  paypalOrderId: string | null;
  /** Hosted: Stripe's payment page to send the browser to. */
  hostedUrl: string | null;
  currency: string;
  amountDueToday: number;
  total: number;
  nextChargeAt: Date | null;
}

interface PaypalOrderCreated {
  id: string;
  status: string;
}

export const ATTEMPT_WINDOW_MS = 10 * 60 * 1000;
export const MAX_ATTEMPTS_PER_WINDOW = 20;
export const MAX_FAILED_PAYMENTS_PER_WINDOW = 10;

/**
 * Per customer, in the database so every web process counts the same: at most 20 new checkout
 * attempts and 10 failed payments in 10 minutes. A resumed attempt (a double click) is not new.
 */
async function assertWithinRateLimit(db: DbOrTx, customerId: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS);
  const [attempts] = await db.select({ n: count() }).from(checkouts).where(and(eq(checkouts.customerId, customerId), gte(checkouts.createdAt, since)));
  const [failures] = await db
    .select({ n: count() })
    .from(payments)
    .where(and(eq(payments.customerId, customerId), eq(payments.status, 'failed'), gte(payments.updatedAt, since)));
  if (attempts.n >= MAX_ATTEMPTS_PER_WINDOW || failures.n >= MAX_FAILED_PAYMENTS_PER_WINDOW) {
    throw new CheckoutRateLimitedError('rate_limited', 'Too many payment attempts. Wait ten minutes and try again.');
  }
}

/** The quoted total and the coupon are part of the key: changed billing details (so tax) or another code open a new attempt. */
function idempotencyKey(customerId: string, resolved: ResolvedCheckout, quote: CheckoutQuote, couponId: string | null): string {
  return [customerId, resolved.price.id, resolved.quantity, resolved.provider, resolved.surface, quote.total.amount, couponId ?? 'none'].join(':');
}

/** The open attempt for this key, created if there is none (a concurrent create loses to the unique index). */
async function openAttempt(db: DbOrTx, customerId: string, resolved: ResolvedCheckout, quote: CheckoutQuote, couponId: string | null, key: string, now: Date): Promise<Checkout> {
  const [created] = await db
    .insert(checkouts)
    .values({
      customerId,
      priceId: resolved.price.id,
      quantity: resolved.quantity,
      currency: quote.currency,
      subtotal: quote.subtotal.amount,
      tax: quote.tax.amount,
      total: quote.total.amount,
      amountDueToday: quote.dueToday.amount,
      couponId,
      discount: quote.discount?.amount.amount ?? 0,
      nextChargeAmount: quote.subscription?.nextChargeAmount.amount ?? null,
      provider: resolved.provider!,
      kind: quote.kind,
      surface: resolved.surface,
      idempotencyKey: key,
      // The request's clock: rate limits and coupon holds count attempts by it.
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [open] = await db.select().from(checkouts).where(and(eq(checkouts.idempotencyKey, key), eq(checkouts.status, 'open')));
  // Completed between the insert and this read: the customer has just bought it.
  if (!open) throw new CheckoutConflictError('checkout_closed', 'This checkout has just been completed. See your billing page.', '/billing');
  return open;
}

async function stripeIntent(deps: CheckoutDeps, checkout: Checkout, stripeCustomer: string): Promise<{ id: string; clientSecret: string | null }> {
  const { stripe } = deps.gateways;
  if (checkout.providerIntentId) {
    const existing = checkout.kind === 'payment' ? await stripe.paymentIntents.retrieve(checkout.providerIntentId) : await stripe.setupIntents.retrieve(checkout.providerIntentId);
    return { id: existing.id, clientSecret: existing.client_secret };
  }
  const metadata = { checkoutId: checkout.id };
  if (checkout.kind === 'setup') {
    const intent = await stripe.setupIntents.create(
      { customer: stripeCustomer, usage: 'off_session', metadata },
      { idempotencyKey: `checkout:${checkout.id}:setup-intent` },
    );
    return { id: intent.id, clientSecret: intent.client_secret };
  }
  const intent = await stripe.paymentIntents.create(
    {
      amount: checkout.amountDueToday,
      currency: checkout.currency.toLowerCase(),
      customer: stripeCustomer,
      // Saved for renewals, which are charged off-session by the billing engine.
      setup_future_usage: 'off_session',
      metadata,
    },
    { idempotencyKey: `checkout:${checkout.id}:payment-intent` },
  );
  return { id: intent.id, clientSecret: intent.client_secret };
}

interface HostedSession {
  id: string;
  url: string | null;
}

/** The checkout page of this attempt, with its code: where a buyer who backs out of a provider's page returns. */
function checkoutPageUrl(deps: CheckoutDeps, checkout: Checkout, couponCode: string | null): string {
  return `${deps.appUrl}${checkoutPath(checkout.priceId, checkout.quantity, couponCode)}`;
}

/** Stripe's hosted page for this attempt: one line for what is due today (tax included), as the app quoted it. */
async function hostedSession(deps: CheckoutDeps, checkout: Checkout, resolved: ResolvedCheckout, stripeCustomer: string, couponCode: string | null): Promise<HostedSession> {
  const { stripe } = deps.gateways;
  if (checkout.providerIntentId) return stripe.checkout.sessions.retrieve(checkout.providerIntentId);
  const metadata = { checkoutId: checkout.id };
  const seats = resolved.product.perSeat ? ` × ${checkout.quantity} seats` : '';
  return stripe.checkout.sessions.create(
    {
      customer: stripeCustomer,
      success_url: `${deps.appUrl}/checkout/return?checkout=${checkout.id}`,
      cancel_url: checkoutPageUrl(deps, checkout, couponCode),
      metadata,
      ...(checkout.kind === 'setup'
        ? { mode: 'setup' as const, currency: checkout.currency.toLowerCase(), setup_intent_data: { metadata } }
        : {
            mode: 'payment' as const,
            line_items: [{ quantity: 1, price_data: { currency: checkout.currency.toLowerCase(), unit_amount: checkout.amountDueToday, product_data: { name: `${resolved.product.name}${seats}` } } }],
            payment_intent_data: { metadata, setup_future_usage: 'off_session' as const },
          }),
    },
    { idempotencyKey: `checkout:${checkout.id}:session` },
  );
}

async function paypalOrder(deps: CheckoutDeps, checkout: Checkout, resolved: ResolvedCheckout, couponCode: string | null): Promise<string> {
  if (checkout.providerIntentId) return checkout.providerIntentId;
  const recurring = resolved.price.type === 'recurring';
  const paypalCustomer = recurring ? await providerCustomerId(deps.db, checkout.customerId, 'paypal') : null;
  const order = await deps.gateways.paypal.request<PaypalOrderCreated>('POST', '/v2/checkout/orders', {
    // Derived from our id, so a retried or concurrent start gets the same order back.
    requestId: `checkout-${checkout.id}`,
    body: {
      intent: 'CAPTURE',
      purchase_units: [
        {
          reference_id: 'default',
          custom_id: checkout.id,
          description: resolved.product.name,
          amount: { currency_code: checkout.currency, value: toMajorUnitString(checkout.amountDueToday, checkout.currency) },
        },
      ],
      payment_source: {
        paypal: {
          experience_context: {
            return_url: `${deps.appUrl}/checkout/return?checkout=${checkout.id}`,
            cancel_url: checkoutPageUrl(deps, checkout, couponCode),
            user_action: 'PAY_NOW',
          },
          // A subscription saves the PayPal account so renewals can be charged without the buyer.
          ...(recurring
            ? { attributes: { vault: { store_in_vault: 'ON_SUCCESS', usage_type: 'MERCHANT' }, ...(paypalCustomer ? { customer: { id: paypalCustomer } } : {}) } }
            : {}),
        },
      },
    },
  });
  return order.id;
}

/** False when the attempt's intent or order is dead at the provider (canceled, or an expired PayPal approval). */
async function stillPayable(deps: CheckoutDeps, checkout: Checkout): Promise<boolean> {
  const id = checkout.providerIntentId!;
  if (checkout.provider === 'paypal') {
    const order = await deps.gateways.paypal.request<PaypalOrderCreated>('GET', `/v2/checkout/orders/${encodeURIComponent(id)}`);
    // A COMPLETED order may hold a payment not yet fulfilled: fulfilment decides about it, not a new start.
    return order.status !== 'VOIDED';
  }
  const { stripe } = deps.gateways;
  if (checkout.surface === 'hosted') return (await stripe.checkout.sessions.retrieve(id)).status !== 'expired';
  const intent = checkout.kind === 'payment' ? await stripe.paymentIntents.retrieve(id) : await stripe.setupIntents.retrieve(id);
  return intent.status !== 'canceled';
}

/** Records the provider object on the attempt and, for an intent that collects a payment, its pending payments row (once). */
async function recordIntent(db: Database, checkout: Checkout, intentId: string, description: string, now: Date): Promise<void> {
  const collectsPayment = checkout.kind === 'payment' && checkout.surface === 'elements';
  if (checkout.providerIntentId === intentId && (!collectsPayment || checkout.paymentId)) return;
  await db.transaction(async (tx) => {
    await tx.update(checkouts).set({ providerIntentId: intentId, updatedAt: now }).where(and(eq(checkouts.id, checkout.id), isNull(checkouts.providerIntentId)));
    if (collectsPayment) await attachPayment(tx, checkout, intentId, description);
  });
}

export async function startCheckout(deps: CheckoutDeps, input: CheckoutRequest & { userId: string; provider: CheckoutProvider; couponCode?: string | null }, now: Date): Promise<StartedCheckout> {
  const customer = await ensureCustomer(deps.db, input.userId);
  // Tax depends on where the customer is: nothing is charged before the address is known.
  if (!hasBillingAddress(customer)) throw new CheckoutRequestError('billing_details_required', 'Enter your billing details (name, country and postal code) before paying.');
  const request = { priceId: input.priceId, quantity: input.quantity, provider: input.provider, surface: input.surface ?? 'elements' };
  const resolved = await resolveCheckoutRequest(deps.db, customer.id, request);
  const tax = await taxContextFor(deps.db, deps.tax, customer);
  // One transaction with the coupon row locked, so its redemption limit counts this attempt before another
  // can start. A resumed checkout row is written before the coupon row is locked, the order fulfilment
  // takes them in, so the two never wait on each other in a circle.
  const open = () =>
    deps.db.transaction(async (tx) => {
      const entered = await findCheckoutCoupon(tx, input.couponCode);
      // Checked before quoting (a coupon without this currency has nothing to quote), and again under the lock below.
      const found = entered && (await checkCheckoutCoupon(tx, entered, customer.id, resolved, now, false));
      const quote = quoteCheckout({ price: resolved.price, product: resolved.product, quantity: resolved.quantity, now: now.getTime(), tax, coupon: found });
      if (quote.kind === 'setup' && resolved.provider === 'paypal') throw new CheckoutRequestError('provider_unavailable', 'Nothing is due today, which PayPal cannot save an account for yet: use a card.');
      const key = idempotencyKey(customer.id, resolved, quote, found?.id ?? null);
      const [resumable] = await tx.select({ id: checkouts.id }).from(checkouts).where(and(eq(checkouts.idempotencyKey, key), eq(checkouts.status, 'open')));
      if (!resumable) await assertWithinRateLimit(tx, customer.id, now);
      // A resumed attempt is touched: its coupon hold runs from now.
      else if (found) await tx.update(checkouts).set({ updatedAt: now }).where(eq(checkouts.id, resumable.id));
      const coupon = found && (await checkCheckoutCoupon(tx, found, customer.id, resolved, now, true));
      return { quote, coupon, checkout: await openAttempt(tx, customer.id, resolved, quote, coupon?.id ?? null, key, now) };
    });
  let { quote, coupon, checkout } = await open();
  if (checkout.providerIntentId && !(await stillPayable(deps, checkout))) {
    const dead = checkout;
    // Canceled for good (committed, so it holds no coupon even if the new attempt is refused), then opened again as new.
    await deps.db.transaction(async (tx) => {
      await cancelAttempt(tx, dead, now, { type: 'user', id: input.userId }, 'the provider object can no longer be paid');
      if (dead.kind === 'payment' && dead.surface === 'elements') await recordPaymentReport(tx, { provider: dead.provider, providerPaymentId: dead.providerIntentId!, status: 'canceled' });
    });
    ({ quote, coupon, checkout } = await open());
  }

  let intentId: string;
  let clientSecret: string | null = null;
  let hostedUrl: string | null = null;
  if (checkout.provider === 'stripe') {
    const stripeCustomer = await ensureStripeCustomer(deps.db, deps.gateways, customer);
    if (checkout.surface === 'hosted') {
      const session = await hostedSession(deps, checkout, resolved, stripeCustomer, coupon?.code ?? null);
      intentId = session.id;
      hostedUrl = session.url;
    } else {
      const intent = await stripeIntent(deps, checkout, stripeCustomer);
      intentId = intent.id;
      clientSecret = intent.clientSecret;
    }
  } else {
    intentId = await paypalOrder(deps, checkout, resolved, coupon?.code ?? null);
  }
  await recordIntent(deps.db, checkout, intentId, resolved.product.name, now);

  return {
    checkoutId: checkout.id,
    provider: checkout.provider,
    kind: checkout.kind,
    clientSecret,
    paypalOrderId: checkout.provider === 'paypal' ? intentId : null,
    hostedUrl,
    currency: checkout.currency,
    amountDueToday: checkout.amountDueToday,
    total: checkout.total,
    nextChargeAt: quote.subscription ? new Date(quote.subscription.nextChargeAt) : null,
  };
}
