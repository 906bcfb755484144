/**
 * End to end through HTTP: the sandbox signs and delivers its webhooks (with chaos: duplicates and
 * reordering) to the app's endpoint logic, which verifies, stores and queues them; the workers process
 * them against the sandbox. Afterwards every payment and refund the app holds matches the sandbox.
 */
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payments, refunds, webhookEvents } from '@/db/schema';
import type { AppConfig } from '@/lib/config';
import { startWorkers } from '@/lib/jobs/workers';
import { createGateways, type Gateways } from '@/lib/payments/gateways';
import { stripePaymentIntentStatus } from '@/lib/payments/status';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';
import { startRequestServer, startTestSandbox, type TestSandbox } from '@/test/sandbox';
import { handleWebhook } from './endpoint';
import { createEventBatcher } from './receive';
import { paypalVerifier, stripeVerifier } from './verifiers';

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe(`webhook delivery under chaos (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let app: { url: string; close(): Promise<void> };
  let gateways: Gateways;

  beforeAll(async () => {
    t = await openTestDatabase();
    // The app's endpoint must exist before the sandbox (which needs its URL); its settings come after.
    const settings: { config?: AppConfig } = {};
    app = await startRequestServer(async (request) => {
      const provider = new URL(request.url).pathname.endsWith('/paypal') ? 'paypal' : 'stripe';
      const verifier = provider === 'paypal' ? paypalVerifier(settings.config!) : stripeVerifier(settings.config!);
      return handleWebhook({ db: t.handle.db, storeEvent: createEventBatcher(t.handle.db, t.boss) }, provider, request, verifier);
    });
    sb = await startTestSandbox({ appUrl: app.url });
    settings.config = sb.config;
    gateways = createGateways(sb.config);
    await startWorkers(t.boss, t.handle.db, sb.config, gateways);
    await sb.control('chaos', { duplicateRate: 0.5, reorder: true });
  }, 60_000);
  afterAll(async () => {
    await sb?.close();
    await app?.close();
    await t?.close();
  });

  it('ends with every payment as the sandbox has it, each event processed once', async () => {
    const cards = ['pm_card_visa', 'pm_card_chargeDeclined', 'pm_card_visa', 'pm_card_mastercard', 'pm_card_chargeDeclinedExpiredCard', 'pm_card_visa'];
    const ids: string[] = [];
    for (const [i, card] of cards.entries()) {
      // As checkout does: create the intent, record the payment, then confirm.
      const intent = await gateways.stripe.paymentIntents.create({ amount: 1000 + i, currency: 'eur' });
      await t.handle.db.insert(payments).values({ provider: 'stripe', providerPaymentId: intent.id, amount: 1000 + i, currency: 'EUR' });
      await gateways.stripe.paymentIntents.confirm(intent.id, { payment_method: card }).catch(() => undefined);
      ids.push(intent.id);
    }
    // Refund two of the successful ones, one partially.
    await gateways.stripe.refunds.create({ payment_intent: ids[0], amount: 400 });
    await gateways.stripe.refunds.create({ payment_intent: ids[3] });

    await sb.control('deliveries/flush', {});
    await waitFor(async () => {
      const open = await t.handle.db.select({ id: webhookEvents.id }).from(webhookEvents).where(inArray(webhookEvents.status, ['received', 'processing', 'failed']));
      return open.length === 0;
    }, 30_000);

    const deliveries = (await sb.control('deliveries')) as { data: Array<{ eventId: string; duplicateOf?: string; state: string }> };
    const stripeDeliveries = deliveries.data.filter((d) => d.eventId.startsWith('evt_'));
    expect(stripeDeliveries.some((d) => d.duplicateOf)).toBe(true);
    expect(stripeDeliveries.every((d) => d.state === 'delivered')).toBe(true);
    const distinctEvents = new Set(stripeDeliveries.map((d) => d.eventId));
    const stored = await t.handle.db.select().from(webhookEvents).where(eq(webhookEvents.provider, 'stripe'));
    expect(stored).toHaveLength(distinctEvents.size);
    expect(stored.filter((e) => e.status === 'dead')).toEqual([]);

    for (const id of ids) {
      const intent = await gateways.stripe.paymentIntents.retrieve(id);
      const [local] = await t.handle.db.select().from(payments).where(eq(payments.providerPaymentId, id));
      expect(local.status, id).toBe(stripePaymentIntentStatus(intent.status, Boolean(intent.last_payment_error)));
      const remote = await gateways.stripe.refunds.list({ payment_intent: id });
      const localRefunds = await t.handle.db.select().from(refunds).where(eq(refunds.paymentId, local.id));
      expect(localRefunds.map((r) => r.amount).sort(), id).toEqual(remote.data.map((r) => r.amount).sort());
    }
  }, 90_000);
});
