/**
 * The customer adds a card in the billing portal: a Stripe SetupIntent the browser confirms (with
 * 3-D Secure if the bank asks), then the card is saved as the default for renewals and charged at
 * once for whatever failed payment the customer still owes (dunning). The completion is re-read
 * from Stripe, never taken from the browser, and is the same whether the page or the
 * `setup_intent.succeeded` webhook gets there first.
 */
import { and, eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '@/db/client';
import { customers, paymentMethods } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { ensureCustomer, ensureStripeCustomer } from '@/lib/checkout/customer';
import { retryOwedInvoices } from '@/lib/invoices/dunning';
import type { Gateways } from '@/lib/payments/gateways';
import { makeDefaultPaymentMethod, saveSetupIntentCard } from '@/lib/payments/payment-methods';
import type { StripeSetupIntent } from '@/lib/payments/stripe/client';

/** Marks a SetupIntent as the portal's "add a card", so the webhook knows to make it the default. */
export const CARD_UPDATE_PURPOSE = 'card_update';

export interface CardUpdateDeps {
  db: Database;
  gateways: Gateways;
  boss: PgBoss;
}

export class CardUpdateError extends Error {
  constructor(
    readonly code: 'not_found' | 'not_completed',
    message: string,
  ) {
    super(message);
    this.name = 'CardUpdateError';
  }
}

/** Step 1: a SetupIntent for the signed-in user's Stripe customer; the browser confirms it with the client secret. */
export async function startCardUpdate(deps: Pick<CardUpdateDeps, 'db' | 'gateways'>, userId: string): Promise<{ setupIntentId: string; clientSecret: string }> {
  const customer = await ensureCustomer(deps.db, userId);
  const stripeCustomer = await ensureStripeCustomer(deps.db, deps.gateways, customer);
  const intent = await deps.gateways.stripe.setupIntents.create({
    customer: stripeCustomer,
    usage: 'off_session',
    metadata: { customerId: customer.id, purpose: CARD_UPDATE_PURPOSE },
  });
  if (!intent.client_secret) throw new Error(`SetupIntent ${intent.id} came back without a client secret`);
  return { setupIntentId: intent.id, clientSecret: intent.client_secret };
}

export type CardUpdateOutcome = { status: 'saved'; retriedInvoices: number } | { status: 'processing' };

/**
 * Inside a transaction: the SetupIntent's card saved, made the default, and every failed invoice the
 * customer owes queued to be charged with it. Safe to repeat (webhook and page both call it).
 */
export async function adoptUpdatedCard(tx: DbOrTx, boss: PgBoss, intent: StripeSetupIntent, actor: { type: 'user' | 'provider'; id: string }): Promise<{ saved: string; retriedInvoices: number }> {
  const saved = await saveSetupIntentCard(tx, intent);
  const methodId = typeof intent.payment_method === 'object' ? intent.payment_method?.id : intent.payment_method;
  const customerId = intent.metadata?.customerId;
  if (!methodId || !customerId) return { saved, retriedInvoices: 0 };
  const [method] = await tx.select().from(paymentMethods).where(and(eq(paymentMethods.provider, 'stripe'), eq(paymentMethods.providerPaymentMethodId, methodId)));
  if (!method || method.customerId !== customerId || method.removedAt) return { saved, retriedInvoices: 0 };
  if (!method.isDefault) {
    await makeDefaultPaymentMethod(tx, customerId, method.id);
    await writeAudit(tx, { actorType: actor.type, actorId: actor.id, action: 'payment_method.made_default', entityType: 'payment_method', entityId: method.id, before: { isDefault: false }, after: { isDefault: true } });
  }
  return { saved, retriedInvoices: await retryOwedInvoices(tx, boss, customerId, method.id) };
}

/** Step 2, after the browser confirmed: re-reads the SetupIntent and, once it succeeded, adopts its card. */
export async function completeCardUpdate(deps: CardUpdateDeps, userId: string, setupIntentId: string): Promise<CardUpdateOutcome> {
  const [customer] = await deps.db.select({ id: customers.id }).from(customers).where(eq(customers.userId, userId));
  const notFound = () => new CardUpdateError('not_found', 'This card setup was not found. Start again from your billing page.');
  if (!customer || !/^seti_[A-Za-z0-9]+$/.test(setupIntentId)) throw notFound();
  const intent = await deps.gateways.stripe.setupIntents.retrieve(setupIntentId, { expand: ['payment_method'] }).catch(() => null);
  if (!intent || intent.metadata?.customerId !== customer.id || intent.metadata?.purpose !== CARD_UPDATE_PURPOSE) throw notFound();
  if (intent.status === 'processing') return { status: 'processing' };
  if (intent.status !== 'succeeded') {
    const reason = intent.last_setup_error?.message;
    throw new CardUpdateError('not_completed', reason ? `The card was not saved: ${reason}` : 'The card was not saved: it was not confirmed. Try again.');
  }
  const { retriedInvoices } = await deps.db.transaction((tx) => adoptUpdatedCard(tx, deps.boss, intent, { type: 'user', id: userId }));
  return { status: 'saved', retriedInvoices };
}

/** What the customer is told once the card is saved. */
export function cardUpdateMessage(outcome: CardUpdateOutcome): string {
  if (outcome.status === 'processing') return 'Your bank is still confirming the card; it appears here once confirmed.';
  return outcome.retriedInvoices > 0
    ? 'Your card is saved as your default. We are charging it now for what is unpaid; this page shows the result in a moment.'
    : 'Your card is saved as your default payment method.';
}
