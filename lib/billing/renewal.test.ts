import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodBoundary } from './periods';
import type { RecurringPrice } from './price';
import { planRenewal, type RenewalInput } from './renewal';
import type { SubscriptionState } from './subscription-state';

const at = (iso: string) => Date.parse(iso);
const monthly: RecurringPrice = { id: 'price_pro', name: 'Pro', currency: 'USD', unitAmount: 2900, interval: 'month', intervalCount: 1, pricingModel: 'per_unit' };
const settings = { trialEndWithoutPaymentMethod: 'pause', retriesExhausted: 'cancel' } as const;
const state = (over: Partial<SubscriptionState> = {}): SubscriptionState => ({ status: 'active', cancelAtPeriodEnd: false, currentPeriodEnd: at('2026-02-28T10:00:00Z'), canceledAt: null, endedAt: null, pastDueSince: null, ...over });
const input = (over: Partial<RenewalInput> = {}): RenewalInput => ({
  state: state(),
  currentPeriodStart: at('2026-01-31T10:00:00Z'),
  billingCycleAnchor: at('2026-01-31T10:00:00Z'),
  price: monthly,
  quantity: 1,
  hasPaymentMethod: true,
  settings,
  now: at('2026-02-28T10:00:00Z'),
  ...over,
});

describe('planRenewal', () => {
  it('is not due before the period ends', () => {
    expect(planRenewal(input({ now: at('2026-02-28T09:59:59Z') }))).toEqual({ kind: 'not_due' });
  });

  it('invoices the next calendar period in advance, keeping the anchor day (Jan 31 → Feb 28 → Mar 31)', () => {
    const plan = planRenewal(input({ quantity: 3 }));
    expect(plan.kind).toBe('invoice');
    if (plan.kind !== 'invoice') return;
    expect(plan.period).toEqual({ start: at('2026-02-28T10:00:00Z'), end: at('2026-03-31T10:00:00Z') });
    expect(plan.line).toMatchObject({ kind: 'subscription', quantity: 3, amount: { amount: 8700, currency: 'USD' }, description: 'Pro' });
    expect(plan.state).toMatchObject({ status: 'active', currentPeriodEnd: at('2026-03-31T10:00:00Z') });
  });

  it('ends a trial: active with a payment method; paused or canceled (setting) without one', () => {
    const trial = input({ state: state({ status: 'trialing' }) });
    expect(planRenewal(trial)).toMatchObject({ kind: 'invoice', state: { status: 'active' } });
    expect(planRenewal({ ...trial, hasPaymentMethod: false })).toMatchObject({ kind: 'trial_ended_without_payment_method', state: { status: 'paused' } });
    expect(planRenewal({ ...trial, hasPaymentMethod: false, settings: { ...settings, trialEndWithoutPaymentMethod: 'cancel' } })).toMatchObject({ state: { status: 'canceled' } });
  });

  it('ends a subscription set to cancel at the period end, without an invoice', () => {
    expect(planRenewal(input({ state: state({ cancelAtPeriodEnd: true, canceledAt: at('2026-02-10T00:00:00Z') }) }))).toMatchObject({
      kind: 'end',
      state: { status: 'canceled', endedAt: at('2026-02-28T10:00:00Z') },
    });
  });

  it('bills a past-due subscription again, and nothing for paused, unpaid or canceled ones', () => {
    expect(planRenewal(input({ state: state({ status: 'past_due', pastDueSince: at('2026-01-31T10:00:00Z') }) }))).toMatchObject({ kind: 'invoice', state: { status: 'past_due' } });
    for (const status of ['paused', 'unpaid', 'canceled'] as const) expect(planRenewal(input({ state: state({ status }) })).kind).toBe('not_billed');
  });

  it('refuses a period end that is not on the cycle (data damage), rather than inventing one', () => {
    expect(() => planRenewal(input({ state: state({ currentPeriodEnd: at('2026-02-27T10:00:00Z') }), now: at('2026-03-01T00:00:00Z') }))).toThrow(/boundary/);
  });

  it('never drifts: ten years of renewals land exactly on the anchor’s boundaries, for any anchor and cadence', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(['week', 1], ['week', 2], ['month', 1], ['month', 3], ['quarter', 1], ['year', 1]) as fc.Arbitrary<[RecurringPrice['interval'], number]>,
        (anchorDate, [interval, intervalCount]) => {
          const anchor = Math.floor(anchorDate.getTime() / 1000) * 1000;
          const price = { ...monthly, interval, intervalCount };
          const cycle = { anchor, interval, intervalCount };
          let current = state({ currentPeriodEnd: periodBoundary(cycle, 1) });
          const renewals = interval === 'week' ? 520 / intervalCount : interval === 'year' ? 10 : (12 * 10) / (intervalCount * (interval === 'quarter' ? 3 : 1));
          for (let k = 1; k <= renewals; k++) {
            const plan = planRenewal({ ...input(), state: current, billingCycleAnchor: anchor, price, now: current.currentPeriodEnd });
            if (plan.kind !== 'invoice') throw new Error(plan.kind);
            expect(plan.period.start).toBe(periodBoundary(cycle, k));
            current = plan.state;
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
