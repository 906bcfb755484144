import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, disputes, payments, refunds, webhookEvents } from '@/db/schema';
import { testDatabaseKind } from '@/test/database';
import { processingDepsOf, useDatabaseAndSandbox } from '@/test/sandbox';
import { stripeEvent } from '@/test/webhooks';
import { processWebhookEvent } from './process';
import { replayDeadEvents, replayEvents } from './replay';
import { storeVerifiedEvent } from './receive';

describe(`webhook processing against the sandbox (${testDatabaseKind})`, () => {
  const env = useDatabaseAndSandbox();

  /** A PaymentIntent confirmed at the sandbox, and the app's pending record of it. */
  async function paymentFor(paymentMethod: string, amount = 2000) {
    let intentId: string;
    try {
      const intent = await env.gateways.stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: paymentMethod, confirm: true });
      intentId = intent.id;
    } catch (error) {
      intentId = (error as { raw?: { payment_intent?: { id: string } } }).raw?.payment_intent?.id ?? '';
      if (!intentId) throw error;
    }
    const [payment] = await env.t.handle.db.insert(payments).values({ provider: 'stripe', providerPaymentId: intentId, amount, currency: 'USD' }).returning();
    return payment;
  }

  async function deliver(type: string, object: Record<string, unknown>, options: { lastAttempt?: boolean } = {}) {
    const event = stripeEvent(type, object);
    await storeVerifiedEvent(env.t.handle.db, env.t.boss, { provider: 'stripe', id: event.id, type, payload: event });
    const [row] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, event.id));
    const result = await processWebhookEvent(processingDepsOf(env), row.id, { lastAttempt: options.lastAttempt ?? false });
    const [after] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.id, row.id));
    return { result, event: after };
  }

  const reload = async (id: string) => (await env.t.handle.db.select().from(payments).where(eq(payments.id, id)))[0];

  it('records a succeeded payment from the provider, not from the payload', async () => {
    const payment = await paymentFor('pm_card_visa');
    // The payload claims nothing useful; the handler re-reads the PaymentIntent.
    const { result, event } = await deliver('payment_intent.succeeded', { id: payment.providerPaymentId, object: 'payment_intent', status: 'processing' });
    expect(result).toBe('processed');
    expect(event).toMatchObject({ status: 'processed', outcome: 'payment now succeeded', attempts: 1 });
    const after = await reload(payment.id);
    expect(after).toMatchObject({ status: 'succeeded', paymentMethod: { type: 'card', brand: 'visa', last4: '4242' } });
    expect(after.providerChargeId).toMatch(/^ch_/);
    const audit = await env.t.handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, payment.id), eq(auditLog.action, 'payment.updated')));
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ status: 'succeeded' });

    // A processing event delivered after the success changes nothing.
    const late = await deliver('payment_intent.processing', { id: payment.providerPaymentId, object: 'payment_intent' });
    expect(late.event.outcome).toBe('payment already succeeded');
    expect((await reload(payment.id)).status).toBe('succeeded');
  });

  it('records a declined attempt with the decline code and message', async () => {
    const payment = await paymentFor('pm_card_chargeDeclinedInsufficientFunds');
    await deliver('payment_intent.payment_failed', { id: payment.providerPaymentId, object: 'payment_intent' });
    const after = await reload(payment.id);
    expect(after).toMatchObject({ status: 'failed', failureCode: 'insufficient_funds' });
    expect(after.failureMessage).toMatch(/insufficient funds/i);
  });

  it('records a refund that fails later: succeeded first, then failed, and a late event does not revive it', async () => {
    const payment = await paymentFor('pm_card_refundFail');
    const intent = await env.gateways.stripe.paymentIntents.retrieve(payment.providerPaymentId);
    const refund = await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId });
    expect(refund.status).toBe('succeeded');
    await deliver('charge.refunded', { id: intent.latest_charge as string, object: 'charge' });
    const [first] = await env.t.handle.db.select().from(refunds).where(eq(refunds.providerRefundId, refund.id));
    expect(first.status).toBe('succeeded');

    // Some time later, at Stripe: the refund fails and charge.refund.updated is sent.
    await env.sb.control('clock/advance', { seconds: 120 });
    expect((await env.gateways.stripe.refunds.retrieve(refund.id)).status).toBe('failed');
    const sent = await env.gateways.stripe.events.list({ type: 'charge.refund.updated', limit: 10 });
    expect(sent.data.map((e) => (e.data.object as { id: string }).id)).toContain(refund.id);
    const { event } = await deliver('charge.refund.updated', { id: refund.id, object: 'refund', charge: intent.latest_charge });
    expect(event.status).toBe('processed');
    const [failed] = await env.t.handle.db.select().from(refunds).where(eq(refunds.providerRefundId, refund.id));
    expect(failed).toMatchObject({ status: 'failed', failureReason: 'expired_or_canceled_card' });
    const audit = await env.t.handle.db.select().from(auditLog).where(eq(auditLog.entityId, failed.id));
    expect(audit.map((a) => a.after)).toContainEqual(expect.objectContaining({ status: 'failed' }));

    // The older charge.refunded, replayed, leaves it failed.
    await deliver('charge.refunded', { id: intent.latest_charge as string, object: 'charge' });
    expect((await env.t.handle.db.select().from(refunds).where(eq(refunds.providerRefundId, refund.id)))[0].status).toBe('failed');
  });

  it('records a refund that arrives before the payment succeeded event', async () => {
    const payment = await paymentFor('pm_card_visa', 5000);
    await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId, amount: 1500 });
    const intent = await env.gateways.stripe.paymentIntents.retrieve(payment.providerPaymentId);
    const { event } = await deliver('charge.refunded', { id: intent.latest_charge as string, object: 'charge' });
    expect(event.status).toBe('processed');
    expect((await reload(payment.id)).status).toBe('succeeded');
    const rows = await env.t.handle.db.select().from(refunds).where(eq(refunds.paymentId, payment.id));
    expect(rows).toMatchObject([{ amount: 1500, currency: 'USD', status: 'succeeded' }]);

    // A second, partial refund; the same event replayed records nothing twice.
    await env.gateways.stripe.refunds.create({ payment_intent: payment.providerPaymentId, amount: 1000 });
    await deliver('charge.refunded', { id: intent.latest_charge as string, object: 'charge' });
    await deliver('charge.refunded', { id: intent.latest_charge as string, object: 'charge' });
    const all = await env.t.handle.db.select().from(refunds).where(eq(refunds.paymentId, payment.id));
    expect(all.map((r) => r.amount).sort()).toEqual([1000, 1500]);
    const late = await deliver('payment_intent.succeeded', { id: payment.providerPaymentId, object: 'payment_intent' });
    expect(late.event.outcome).toBe('payment already succeeded');
  });

  it('follows a dispute from opening to its loss', async () => {
    const payment = await paymentFor('pm_card_createDispute', 3000);
    const list = await env.gateways.stripe.disputes.list({ payment_intent: payment.providerPaymentId });
    expect(list.data).toHaveLength(1);
    const disputeId = list.data[0].id;
    await deliver('charge.dispute.created', { id: disputeId, object: 'dispute' });
    const [opened] = await env.t.handle.db.select().from(disputes).where(eq(disputes.paymentId, payment.id));
    expect(opened).toMatchObject({ status: 'needs_response', amount: 3000, closedAt: null });
    expect(opened.evidenceDueBy).toBeInstanceOf(Date);

    await env.sb.control('stripe/disputes/resolve', { dispute: disputeId, outcome: 'lost' });
    await deliver('charge.dispute.closed', { id: disputeId, object: 'dispute' });
    const [closed] = await env.t.handle.db.select().from(disputes).where(eq(disputes.paymentId, payment.id));
    expect(closed.status).toBe('lost');
    expect(closed.closedAt).toBeInstanceOf(Date);
    // An older "created" event replayed afterwards does not reopen it.
    await deliver('charge.dispute.updated', { id: disputeId, object: 'dispute' });
    expect((await env.t.handle.db.select().from(disputes).where(eq(disputes.id, closed.id)))[0].status).toBe('lost');
  });

  it('retries a failing event, dead-letters it after the last attempt, and replays it', async () => {
    const first = await deliver('payment_intent.succeeded', { id: 'pi_does_not_exist', object: 'payment_intent' }).catch((e) => e);
    expect(first).toBeInstanceOf(Error);
    const [failed] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.status, 'failed'));
    expect(failed.lastError).toMatch(/No such payment_intent/i);
    await expect(processWebhookEvent(processingDepsOf(env), failed.id, { lastAttempt: true })).rejects.toThrow();
    const [dead] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.id, failed.id));
    expect(dead).toMatchObject({ status: 'dead', attempts: 2 });

    expect(await replayDeadEvents(env.t.handle.db, env.t.boss, 'admin-1')).toBe(1);
    const [replayed] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.id, failed.id));
    expect(replayed).toMatchObject({ status: 'received', lastError: null });
    const audit = await env.t.handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, failed.id), eq(auditLog.action, 'webhook.replayed')));
    expect(audit).toMatchObject([{ actorId: 'admin-1', before: { status: 'dead' } }]);
  });

  it('replays a processed event without applying anything twice', async () => {
    const payment = await paymentFor('pm_card_visa');
    const { event } = await deliver('payment_intent.succeeded', { id: payment.providerPaymentId, object: 'payment_intent' });
    await replayEvents(env.t.handle.db, env.t.boss, [event.id], 'admin-1');
    expect(await processWebhookEvent(processingDepsOf(env), event.id, { lastAttempt: false })).toBe('processed');
    const [again] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.id, event.id));
    expect(again).toMatchObject({ status: 'processed', outcome: 'payment already succeeded' });
    const updates = await env.t.handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, payment.id), eq(auditLog.action, 'payment.updated')));
    expect(updates).toHaveLength(1);
  });

  it('processes an event once when two workers take it at the same time', async () => {
    const payment = await paymentFor('pm_card_visa');
    const event = stripeEvent('payment_intent.succeeded', { id: payment.providerPaymentId, object: 'payment_intent' });
    await storeVerifiedEvent(env.t.handle.db, env.t.boss, { provider: 'stripe', id: event.id, type: event.type, payload: event });
    const [row] = await env.t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, event.id));
    const results = await Promise.all([1, 2].map(() => processWebhookEvent(processingDepsOf(env), row.id, { lastAttempt: false })));
    expect(results.filter((r) => r === 'processed').length).toBeGreaterThanOrEqual(1);
    const updates = await env.t.handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, payment.id), eq(auditLog.action, 'payment.updated')));
    expect(updates).toHaveLength(1);
  });
});
