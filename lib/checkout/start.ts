/**
 * Starting a checkout: validate against the catalog, quote, record the attempt, and create the
 * provider object the browser completes (Stripe PaymentIntent / SetupIntent, PayPal order).
 * Idempotent: while an attempt for the same customer, price, quantity and provider is open, every
 * request returns that attempt and its intent (the provider calls carry keys derived from its id).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { checkouts, payments, type Checkout } from '@/db/schema';
import { toMajorUnitString } from '@/lib/money';
import type { Gateways } from '@/lib/payments/gateways';
import { recordPaymentReport } from '@/lib/payments/records';
import { ensureCustomer, ensureStripeCustomer, providerCustomerId } from './customer';
import { CheckoutConflictError } from './errors';
import { cancelAttempt } from './fulfil';
import { quoteCheckout, type CheckoutQuote } from './quote';
import { resolveCheckoutRequest, type CheckoutRequest, type ResolvedCheckout } from './validate';

export interface CheckoutDeps {
  db: Database;
  gateways: Gateways;
  boss: PgBoss;
  /** Public URL of the app, for return links and emails. */
  appUrl: string;
}

export interface StartedCheckout {
  checkoutId: string;
  provider: 'stripe' | 'paypal';
  kind: 'payment' | 'setup';
  /** Stripe: for confirmPayment / confirmSetup in the browser. */
  clientSecret: string | null;
  /** PayPal: the order the PayPal button approves. */
  paypalOrderId: string | null;
  currency: string;
  amountDueToday: number;
  total: number;
  nextChargeAt: Date | null;
}

interface PaypalOrderCreated {
  id: string;
  status: string;
}

function idempotencyKey(customerId: string, request: CheckoutRequest): string {
  return `${customerId}:${request.priceId}:${request.quantity}:${request.provider}`;
}

/** The open attempt for this key, created if there is none (a concurrent create loses to the unique index). */
async function openAttempt(db: Database, customerId: string, resolved: ResolvedCheckout, quote: CheckoutQuote, key: string): Promise<Checkout> {
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
      provider: resolved.provider,
      kind: quote.kind,
      idempotencyKey: key,
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

async function paypalOrder(deps: CheckoutDeps, checkout: Checkout, resolved: ResolvedCheckout): Promise<string> {
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
            cancel_url: `${deps.appUrl}/pricing`,
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
  const intent = checkout.kind === 'payment' ? await stripe.paymentIntents.retrieve(id) : await stripe.setupIntents.retrieve(id);
  return intent.status !== 'canceled';
}

/** Records the provider object on the attempt and, for a payment, its pending payments row (once). */
async function recordIntent(db: Database, checkout: Checkout, intentId: string, description: string): Promise<void> {
  if (checkout.providerIntentId === intentId && (checkout.kind === 'setup' || checkout.paymentId)) return;
  await db.transaction(async (tx) => {
    await tx.update(checkouts).set({ providerIntentId: intentId, updatedAt: new Date() }).where(and(eq(checkouts.id, checkout.id), isNull(checkouts.providerIntentId)));
    if (checkout.kind === 'setup') return;
    await tx
      .insert(payments)
      .values({ customerId: checkout.customerId, provider: checkout.provider, providerPaymentId: intentId, amount: checkout.amountDueToday, currency: checkout.currency, status: 'pending', description })
      .onConflictDoNothing({ target: [payments.provider, payments.providerPaymentId] });
    const [payment] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.provider, checkout.provider), eq(payments.providerPaymentId, intentId)));
    await tx.update(checkouts).set({ paymentId: payment.id }).where(and(eq(checkouts.id, checkout.id), isNull(checkouts.paymentId)));
  });
}

export async function startCheckout(deps: CheckoutDeps, input: CheckoutRequest & { userId: string }, now: Date): Promise<StartedCheckout> {
  const customer = await ensureCustomer(deps.db, input.userId);
  const request = { priceId: input.priceId, quantity: input.quantity, provider: input.provider };
  const resolved = await resolveCheckoutRequest(deps.db, customer.id, request);
  const quote = quoteCheckout({ price: resolved.price, product: resolved.product, quantity: resolved.quantity, now: now.getTime() });
  const key = idempotencyKey(customer.id, request);
  let checkout = await openAttempt(deps.db, customer.id, resolved, quote, key);
  if (checkout.providerIntentId && !(await stillPayable(deps, checkout))) {
    const dead = checkout;
    await deps.db.transaction(async (tx) => {
      await cancelAttempt(tx, dead, now, { type: 'user', id: input.userId }, 'the provider object can no longer be paid');
      if (dead.kind === 'payment') await recordPaymentReport(tx, { provider: dead.provider, providerPaymentId: dead.providerIntentId!, status: 'canceled' });
    });
    checkout = await openAttempt(deps.db, customer.id, resolved, quote, key);
  }

  let intentId: string;
  let clientSecret: string | null = null;
  if (checkout.provider === 'stripe') {
    const intent = await stripeIntent(deps, checkout, await ensureStripeCustomer(deps.db, deps.gateways, customer));
    intentId = intent.id;
    clientSecret = intent.clientSecret;
  } else {
    intentId = await paypalOrder(deps, checkout, resolved);
  }
  await recordIntent(deps.db, checkout, intentId, resolved.product.name);

  return {
    checkoutId: checkout.id,
    provider: checkout.provider,
    kind: checkout.kind,
    clientSecret,
    paypalOrderId: checkout.provider === 'paypal' ? intentId : null,
    currency: checkout.currency,
    amountDueToday: checkout.amountDueToday,
    total: checkout.total,
    nextChargeAt: quote.subscription ? new Date(quote.subscription.nextChargeAt) : null,
  };
}
