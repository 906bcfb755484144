/** Property: whatever refunds are asked for, a charge is never refunded beyond what was captured. */
import fc from 'fast-check';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSandbox } from '../server';
import { sdkFor, startTestSandbox } from './testing/harness.test-helper';

let sandbox: RunningSandbox;
let sdk: ReturnType<typeof sdkFor>;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sdk = sdkFor(sandbox);
});
afterAll(async () => {
  await sandbox.close();
});

it('refunds sum to at most the captured amount; a refused refund changes nothing', async () => {
  const stripe = sdk.stripe;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 50, max: 20_000 }),
      fc.integer({ min: 1, max: 100 }),
      fc.array(fc.option(fc.integer({ min: 1, max: 25_000 }), { nil: undefined }), { minLength: 1, maxLength: 5 }),
      async (amount, capturePercent, requests) => {
        const captureAmount = Math.max(1, Math.floor((amount * capturePercent) / 100));
        const pi = await stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: 'pm_card_visa', capture_method: 'manual', confirm: true });
        await stripe.paymentIntents.capture(pi.id, { amount_to_capture: captureAmount });
        let refundedOfCaptured = 0;
        for (const requested of requests) {
          const before = await stripe.charges.retrieve(pi.latest_charge as string);
          const remaining = captureAmount - refundedOfCaptured;
          try {
            const refund = await stripe.refunds.create({ payment_intent: pi.id, ...(requested === undefined ? {} : { amount: requested }) });
            expect(refund.amount).toBe(requested ?? remaining);
            expect(refund.amount).toBeLessThanOrEqual(remaining);
            refundedOfCaptured += refund.amount;
          } catch (err) {
            expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
            expect(remaining === 0 || (requested ?? 0) > remaining).toBe(true);
            const after = await stripe.charges.retrieve(pi.latest_charge as string);
            expect(after.amount_refunded).toBe(before.amount_refunded);
          }
        }
        const charge = await stripe.charges.retrieve(pi.latest_charge as string);
        const refunds = await stripe.refunds.list({ charge: charge.id, limit: 100 });
        const total = refunds.data.reduce((sum, r) => sum + r.amount, 0);
        expect(total).toBe(charge.amount_refunded);
        expect(charge.amount_refunded - (amount - captureAmount)).toBe(refundedOfCaptured);
        expect(refundedOfCaptured).toBeLessThanOrEqual(captureAmount);
        expect(charge.refunded).toBe(refundedOfCaptured === captureAmount);
      },
    ),
    { numRuns: 15 },
  );
  expect(sdk.checkSchemas()).toBeGreaterThan(0);
});
