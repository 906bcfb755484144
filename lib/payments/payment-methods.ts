/**
 * Recording saved payment methods that a provider reports (a SetupIntent that succeeded, a PayPal
 * vault token created or deleted). The first method a customer saves becomes the default for renewals.
 */
import { and, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { paymentMethods, providerCustomers, type PaymentMethodSummary, type SavedPaymentMethod } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { describeOutcome, type RecordOutcome } from './records';
import type { StripeSetupIntent } from './stripe/client';
import { cardSummary } from './stripe/reports';

type Provider = SavedPaymentMethod['provider'];

export async function customerIdAt(tx: DbOrTx, provider: Provider, providerCustomerId: string): Promise<string | null> {
  const [row] = await tx
    .select({ customerId: providerCustomers.customerId })
    .from(providerCustomers)
    .where(and(eq(providerCustomers.provider, provider), eq(providerCustomers.providerCustomerId, providerCustomerId)));
  return row?.customerId ?? null;
}

export async function recordSavedPaymentMethod(
  tx: DbOrTx,
  report: { provider: Provider; providerCustomerId: string; providerPaymentMethodId: string; summary: PaymentMethodSummary },
): Promise<RecordOutcome<SavedPaymentMethod>> {
  const customerId = await customerIdAt(tx, report.provider, report.providerCustomerId);
  if (!customerId) return { kind: 'unknown' };
  const [existing] = await tx
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.provider, report.provider), eq(paymentMethods.providerPaymentMethodId, report.providerPaymentMethodId)));
  // Already saved, or removed since (a removal is final; a stale report does not bring it back).
  if (existing) return { kind: 'unchanged', record: existing };
  const [current] = await tx
    .select({ id: paymentMethods.id })
    .from(paymentMethods)
    .where(and(eq(paymentMethods.customerId, customerId), eq(paymentMethods.isDefault, true), isNull(paymentMethods.removedAt)))
    .for('update');
  const [created] = await tx
    .insert(paymentMethods)
    .values({ customerId, provider: report.provider, providerPaymentMethodId: report.providerPaymentMethodId, summary: report.summary, isDefault: !current })
    .onConflictDoNothing({ target: [paymentMethods.provider, paymentMethods.providerPaymentMethodId] })
    .returning();
  if (!created) {
    const [raced] = await tx.select().from(paymentMethods).where(and(eq(paymentMethods.provider, report.provider), eq(paymentMethods.providerPaymentMethodId, report.providerPaymentMethodId)));
    return { kind: 'unchanged', record: raced };
  }
  await writeAudit(tx, { actorType: 'provider', actorId: report.provider, action: 'payment_method.saved', entityType: 'payment_method', entityId: created.id, after: created });
  return { kind: 'changed', record: created, before: {} };
}

export async function recordRemovedPaymentMethod(tx: DbOrTx, provider: Provider, providerPaymentMethodId: string, now: Date): Promise<RecordOutcome<SavedPaymentMethod>> {
  const [existing] = await tx
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.provider, provider), eq(paymentMethods.providerPaymentMethodId, providerPaymentMethodId)))
    .for('update');
  if (!existing) return { kind: 'unknown' };
  if (existing.removedAt) return { kind: 'unchanged', record: existing };
  const [updated] = await tx.update(paymentMethods).set({ removedAt: now, isDefault: false }).where(eq(paymentMethods.id, existing.id)).returning();
  await writeAudit(tx, {
    actorType: 'provider',
    actorId: provider,
    action: 'payment_method.removed',
    entityType: 'payment_method',
    entityId: existing.id,
    before: { isDefault: existing.isDefault },
    after: { removedAt: now.toISOString() },
  });
  return { kind: 'changed', record: updated, before: { removedAt: null } };
}

/** Makes a saved method the customer's default (the one renewals charge); the previous default stays saved. */
export async function makeDefaultPaymentMethod(tx: DbOrTx, customerId: string, paymentMethodId: string): Promise<void> {
  await tx
    .update(paymentMethods)
    .set({ isDefault: false })
    .where(and(eq(paymentMethods.customerId, customerId), eq(paymentMethods.isDefault, true), ne(paymentMethods.id, paymentMethodId)));
  await tx
    .update(paymentMethods)
    .set({ isDefault: true })
    .where(and(eq(paymentMethods.id, paymentMethodId), eq(paymentMethods.customerId, customerId), isNull(paymentMethods.removedAt)));
}

/** Which of these customers have a default payment method (one statement for a billing run's batch). */
export async function customersWithDefaultPaymentMethod(tx: DbOrTx, customerIds: readonly string[]): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await tx
    .selectDistinct({ customerId: paymentMethods.customerId })
    .from(paymentMethods)
    .where(and(inArray(paymentMethods.customerId, [...customerIds]), eq(paymentMethods.isDefault, true), isNull(paymentMethods.removedAt)));
  return new Set(rows.map((row) => row.customerId));
}

/** The customer's default payment method (the one renewals charge), or null when none is on file. */
export async function defaultPaymentMethod(tx: DbOrTx, customerId: string): Promise<SavedPaymentMethod | null> {
  const [method] = await tx
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.customerId, customerId), eq(paymentMethods.isDefault, true), isNull(paymentMethods.removedAt)))
    .orderBy(desc(paymentMethods.createdAt))
    .limit(1);
  return method ?? null;
}

/** Saves the card of a succeeded SetupIntent for its Stripe customer (the default if it is their first). */
export async function saveSetupIntentCard(tx: DbOrTx, intent: StripeSetupIntent): Promise<string> {
  if (intent.status !== 'succeeded') return `setup intent is ${intent.status}; nothing to save`;
  const method = typeof intent.payment_method === 'object' ? intent.payment_method : null;
  const customer = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
  const summary = method ? cardSummary(method) : null;
  if (!method || !customer || !summary) return 'setup intent has no customer or card';
  const outcome = await recordSavedPaymentMethod(tx, { provider: 'stripe', providerCustomerId: customer, providerPaymentMethodId: method.id, summary });
  return describeOutcome('customer for the card', outcome, 'saved');
}
