/** Disputes (opened by the dispute test card) and Checkout Sessions through the official SDK. */
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../server';
import { sdkFor, startTestSandbox } from './testing/harness.test-helper';

let sandbox: RunningSandbox;
let stripe: Stripe;
let checkSchemas: () => number;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ({ stripe, checkSchemas } = sdkFor(sandbox));
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => {
  expect(checkSchemas()).toBeGreaterThan(0);
});

async function control(path: string, body: unknown): Promise<Response> {
  return fetch(`${sandbox.origin}/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('disputes', () => {
  it('0259 succeeds, then opens a dispute; evidence, submission and the outcome', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 4200, currency: 'usd', payment_method: 'pm_card_createDispute', confirm: true });
    expect(pi.status).toBe('succeeded');
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.disputed).toBe(true);
    const disputes = await stripe.disputes.list({ payment_intent: pi.id });
    expect(disputes.data).toHaveLength(1);
    const dispute = disputes.data[0];
    expect(dispute.status).toBe('needs_response');
    expect(dispute.amount).toBe(4200);
    expect(dispute.reason).toBe('fraudulent');
    const refundErr = await stripe.refunds.create({ payment_intent: pi.id }).catch((e: Stripe.errors.StripeError) => e);
    expect((refundErr as Stripe.errors.StripeError).code).toBe('charge_disputed');
    const drafted = await stripe.disputes.update(dispute.id, { evidence: { customer_name: 'Ada', product_description: 'Pro plan' }, submit: false });
    expect(drafted.status).toBe('needs_response');
    expect(drafted.evidence.customer_name).toBe('Ada');
    expect(drafted.evidence_details.has_evidence).toBe(true);
    const submitted = await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    expect(submitted.status).toBe('won');
    const events = await stripe.events.list({ types: ['charge.dispute.created', 'charge.dispute.updated', 'charge.dispute.closed'], limit: 10 });
    const mine = events.data.filter((e) => (e.data.object as Stripe.Dispute).id === dispute.id).map((e) => e.type);
    expect(mine).toEqual(['charge.dispute.closed', 'charge.dispute.updated', 'charge.dispute.updated', 'charge.dispute.created']);
  });

  it('close accepts the dispute (lost); a closed dispute cannot be updated', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_createDispute', confirm: true });
    const [dispute] = (await stripe.disputes.list({ payment_intent: pi.id })).data;
    const closed = await stripe.disputes.close(dispute.id);
    expect(closed.status).toBe('lost');
    const err = await stripe.disputes.update(dispute.id, { metadata: { a: 'b' } }).catch((e: Stripe.errors.StripeError) => e);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(400);
    const again = await stripe.disputes.retrieve(dispute.id, { expand: ['charge'] });
    expect((again.charge as Stripe.Charge).id).toBe(pi.latest_charge);
  });

  it('the control surface decides a dispute under review', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_createDispute', confirm: true });
    const [dispute] = (await stripe.disputes.list({ payment_intent: pi.id })).data;
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'we delivered' } });
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe('under_review');
    expect((await control('/stripe/disputes/resolve', { dispute: dispute.id, outcome: 'lost' })).status).toBe(200);
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe('lost');
  });
});

describe('checkout sessions', () => {
  it('payment mode: hosted url, paid through the hosted page flow, completed with a PaymentIntent', async () => {
    const customer = await stripe.customers.create({ email: 'buyer@example.com' });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      success_url: 'https://app.example/success?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://app.example/cancel',
      client_reference_id: 'order_42',
      line_items: [
        { price_data: { currency: 'usd', unit_amount: 1500, product_data: { name: 'Seat' } }, quantity: 3 },
        { price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Setup' } }, quantity: 1 },
      ],
      payment_intent_data: { metadata: { order: 'order_42' }, setup_future_usage: 'off_session' },
      metadata: { order: 'order_42' },
    });
    expect(session.status).toBe('open');
    expect(session.amount_total).toBe(5000);
    expect(session.payment_intent).toBeNull();
    expect(session.url).toBe(`${sandbox.origin}/checkout/pay/${session.id}`);
    const page = await fetch(session.url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('$50.00');
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data.map((i) => i.amount_total)).toEqual([4500, 500]);
    expect((await control('/stripe/checkout/complete', { session: session.id, payment_method: 'pm_card_visa' })).status).toBe(200);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(done.status).toBe('complete');
    expect(done.payment_status).toBe('paid');
    const pi = done.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe('succeeded');
    expect(pi.amount).toBe(5000);
    expect(pi.metadata).toEqual({ order: 'order_42' });
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toHaveLength(1);
    const events = await stripe.events.list({ type: 'checkout.session.completed', limit: 1 });
    expect((events.data[0].data.object as Stripe.Checkout.Session).id).toBe(session.id);
  });

  it('setup mode, expiry, listing and validation', async () => {
    const session = await stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd', success_url: 'https://app.example/ok' });
    expect(session.payment_status).toBe('no_payment_required');
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired.status).toBe('expired');
    const again = await stripe.checkout.sessions.expire(session.id).catch((e: Stripe.errors.StripeError) => e);
    expect((again as Stripe.errors.StripeError).statusCode).toBe(400);
    const missing = await stripe.checkout.sessions.create({ mode: 'payment', success_url: 'https://app.example/ok' }).catch((e: Stripe.errors.StripeError) => e);
    expect((missing as Stripe.errors.StripeError).param).toBe('line_items');
    const setup = await stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd', success_url: 'https://app.example/ok' });
    expect((await control('/stripe/checkout/complete', { session: setup.id })).status).toBe(200);
    const done = await stripe.checkout.sessions.retrieve(setup.id, { expand: ['setup_intent'] });
    expect(done.status).toBe('complete');
    expect((done.setup_intent as Stripe.SetupIntent).status).toBe('succeeded');
    const list = await stripe.checkout.sessions.list({ status: 'complete', limit: 100 });
    expect(list.data.map((s) => s.id)).toContain(setup.id);
  });

  it('expires at expires_at in sandbox time (advance the clock)', async () => {
    const session = await stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd', success_url: 'https://app.example/ok' });
    expect((await control('/clock/advance', { seconds: 24 * 3600 + 1 })).status).toBe(200);
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after.status).toBe('expired');
    const events = await stripe.events.list({ type: 'checkout.session.expired', limit: 5 });
    expect(events.data.some((e) => (e.data.object as Stripe.Checkout.Session).id === session.id)).toBe(true);
  });

  it('a declined card leaves the session open', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'https://app.example/ok',
      line_items: [{ price_data: { currency: 'eur', unit_amount: 999, product_data: { name: 'X' } }, quantity: 1 }],
    });
    const res = await control('/stripe/checkout/complete', { session: session.id, payment_method: 'pm_card_chargeDeclined' });
    expect(res.status).toBe(402);
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after.status).toBe('open');
  });
});
