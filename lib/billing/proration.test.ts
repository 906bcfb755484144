import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BillingInputError, CurrencyMismatchError } from './errors';
import { money } from './money';
import { periodContaining, type BillingCycle, type BillingInterval } from './periods';
import type { RecurringPrice, SubscriptionItem } from './price';
import { limitCreditToPaid, periodDiscountAfterChange, previewChange, prorationLine, type ChangeRequest, type DowngradePolicy } from './proration';

const at = (iso: string) => Date.parse(iso);
const price = (id: string, unitAmount: number, interval: BillingInterval = 'month', currency = 'USD', intervalCount = 1): RecurringPrice => ({
  id,
  name: id,
  currency,
  unitAmount,
  interval,
  intervalCount,
});
const item = (p: RecurringPrice, quantity = 1): SubscriptionItem => ({ price: p, quantity });

/** A monthly subscription anchored on April 1 2024: the period Apr 1 → May 1 is exactly 30 days. */
const aprilCycle: BillingCycle = { anchor: at('2024-04-01T00:00:00Z'), interval: 'month', intervalCount: 1 };
const april = { start: at('2024-04-01T00:00:00Z'), end: at('2024-05-01T00:00:00Z') };
const midApril = at('2024-04-16T00:00:00Z');

function request(current: SubscriptionItem, next: SubscriptionItem, changeAt = midApril, downgradePolicy: DowngradePolicy = 'immediate_credit'): ChangeRequest {
  return { cycle: aprilCycle, currentPeriod: april, current, next, at: changeAt, downgradePolicy };
}
const amounts = (lines: readonly { amount: { amount: number } }[]) => lines.map((l) => l.amount.amount);

/**
 * Worked examples. The first is Stripe's documented example
 * (https://docs.stripe.com/billing/subscriptions/prorations): 10 USD → 20 USD a month, halfway
 * through the period: −5 USD unused time, +10 USD remaining time, 5 USD more. The interval change
 * follows https://support.stripe.com/questions/handling-subscription-changes: the new yearly period
 * starts at once and is charged in full, less the credit. The others apply the same rules to seats
 * and downgrades.
 */
const workedExamples: Array<{
  name: string;
  current: SubscriptionItem;
  next: SubscriptionItem;
  policy: DowngradePolicy;
  kind: string;
  lines: number[];
  amountDue: number;
  creditGenerated: number;
  timing: 'immediate' | 'at_period_end';
}> = [
  { name: 'Stripe doc: 10 → 20 USD/month at half period', current: item(price('basic', 1000)), next: item(price('pro', 2000)), policy: 'at_period_end', kind: 'upgrade', lines: [-500, 1000], amountDue: 500, creditGenerated: 0, timing: 'immediate' },
  { name: '5 → 10 seats at 10 USD/seat at half period', current: item(price('team', 1000), 5), next: item(price('team', 1000), 10), policy: 'at_period_end', kind: 'upgrade', lines: [-2500, 5000], amountDue: 2500, creditGenerated: 0, timing: 'immediate' },
  { name: 'downgrade 20 → 10 USD, immediate credit', current: item(price('pro', 2000)), next: item(price('basic', 1000)), policy: 'immediate_credit', kind: 'downgrade', lines: [-1000, 500], amountDue: 0, creditGenerated: 500, timing: 'immediate' },
  { name: 'downgrade 20 → 10 USD, at period end', current: item(price('pro', 2000)), next: item(price('basic', 1000)), policy: 'at_period_end', kind: 'downgrade', lines: [], amountDue: 0, creditGenerated: 0, timing: 'at_period_end' },
  { name: 'Stripe support: 10 USD/month → 100 USD/year at half period', current: item(price('basic', 1000)), next: item(price('basic_year', 10000, 'year')), policy: 'at_period_end', kind: 'upgrade', lines: [-500, 10000], amountDue: 9500, creditGenerated: 0, timing: 'immediate' },
  { name: 'same amount, other plan: lateral, nets to zero', current: item(price('a', 1500)), next: item(price('b', 1500)), policy: 'at_period_end', kind: 'lateral', lines: [-750, 750], amountDue: 0, creditGenerated: 0, timing: 'immediate' },
  { name: 'JPY (zero-decimal) 1000 → 3000 at half period', current: item(price('jp', 1000, 'month', 'JPY')), next: item(price('jp2', 3000, 'month', 'JPY')), policy: 'at_period_end', kind: 'upgrade', lines: [-500, 1500], amountDue: 1000, creditGenerated: 0, timing: 'immediate' },
];

describe('previewChange: worked examples', () => {
  it.each(workedExamples)('$name', (example) => {
    const preview = previewChange(request(example.current, example.next, midApril, example.policy));
    expect(preview.kind).toBe(example.kind);
    expect(preview.timing).toBe(example.timing);
    expect(amounts(preview.lines)).toEqual(example.lines);
    expect(preview.totals.amountDue.amount).toBe(example.amountDue);
    expect(preview.totals.creditGenerated.amount).toBe(example.creditGenerated);
  });

  it('describes and dates the lines', () => {
    const preview = previewChange(request(item(price('Basic', 1000), 2), item(price('Pro', 2000), 3)));
    expect(preview.lines.map((l) => l.description)).toEqual(['Unused time on 2 × Basic after 2024-04-16', 'Remaining time on 3 × Pro after 2024-04-16']);
    expect(preview.lines[0]).toMatchObject({ kind: 'proration', direction: 'credit', priceId: 'Basic', quantity: 2, period: { start: midApril, end: april.end } });
    expect(preview.cycleAfter).toEqual(aprilCycle);
    expect(preview.periodAfter).toEqual(april);
  });

  it('prorates by the second with one half-even rounding step', () => {
    // 17 days, 3 hours and 7 seconds left of a 30-day period of 9.99 USD.
    const remaining = 17 * 86_400 + 3 * 3600 + 7;
    const t = april.end - remaining * 1000;
    const preview = previewChange(request(item(price('a', 999)), item(price('b', 1999)), t));
    const total = 30 * 86_400;
    expect(preview.lines[0].amount.amount).toBe(-Math.round((999 * remaining) / total)); // 566.27... → 566
    expect(preview.lines[1].amount.amount).toBe(Math.round((1999 * remaining) / total)); // 1133.12... → 1133
    // Sub-second parts of the change time are truncated to the second, as Unix timestamps are.
    expect(amounts(previewChange(request(item(price('a', 999)), item(price('b', 1999)), t + 999)).lines)).toEqual(amounts(preview.lines));
  });

  it('re-anchors an interval change at the change instant', () => {
    const preview = previewChange(request(item(price('m', 1000)), item(price('y', 10000, 'year'))));
    expect(preview.cycleAfter).toEqual({ anchor: midApril, interval: 'year', intervalCount: 1 });
    expect(preview.periodAfter).toEqual({ start: midApril, end: at('2025-04-16T00:00:00Z') });
    expect(preview.lines[1]).toMatchObject({ kind: 'subscription', period: preview.periodAfter, amount: money(10000, 'USD') });
  });

  it('schedules a shortening interval change at period end under the at_period_end policy', () => {
    const yearly: BillingCycle = { anchor: at('2024-01-15T00:00:00Z'), interval: 'year', intervalCount: 1 };
    const period = periodContaining(yearly, midApril);
    const preview = previewChange({ cycle: yearly, currentPeriod: period, current: item(price('y', 10000, 'year')), next: item(price('m', 1000)), at: midApril, downgradePolicy: 'at_period_end' });
    expect(preview).toMatchObject({ kind: 'downgrade', intervalChange: true, timing: 'at_period_end', effectiveAt: at('2025-01-15T00:00:00Z'), lines: [] });
    expect(preview.periodAfter).toEqual({ start: at('2025-01-15T00:00:00Z'), end: at('2025-02-15T00:00:00Z') });
  });

  it('a scheduled same-cadence downgrade continues the cycle into the next period', () => {
    const preview = previewChange(request(item(price('pro', 2000)), item(price('basic', 1000)), midApril, 'at_period_end'));
    expect(preview.periodAfter).toEqual({ start: april.end, end: at('2024-06-01T00:00:00Z') });
    expect(preview.effectiveAt).toBe(april.end);
  });

  it('no change produces nothing; quarter and month × 3 are the same cadence', () => {
    const same = previewChange(request(item(price('a', 1000)), item(price('a', 1000))));
    expect(same.kind).toBe('no_change');
    expect(same.lines).toEqual([]);
    const q: BillingCycle = { ...aprilCycle, intervalCount: 3 };
    const period = periodContaining(q, midApril);
    const preview = previewChange({ cycle: q, currentPeriod: period, current: item(price('m3', 3000, 'month', 'USD', 3)), next: item(price('q', 6000, 'quarter')), at: midApril, downgradePolicy: 'at_period_end' });
    expect(preview.intervalChange).toBe(false);
    expect(preview.lines.map((l) => l.kind)).toEqual(['proration', 'proration']);
  });

  it('a change during a free trial bills nothing and applies at once', () => {
    for (const next of [item(price('pro', 2000)), item(price('free', 0)), item(price('pro_year', 20000, 'year'))]) {
      const preview = previewChange({ ...request(item(price('basic', 1000)), next, midApril, 'at_period_end'), inTrial: true });
      expect(preview).toMatchObject({ timing: 'immediate', effectiveAt: midApril, lines: [], periodAfter: april });
      expect(preview.cycleAfter).toEqual({ anchor: aprilCycle.anchor, interval: next.price.interval, intervalCount: 1 });
      expect(preview.totals.amountDue.amount).toBe(0);
    }
  });

  it('the preview uses the customer credit balance for the amount due', () => {
    const preview = previewChange({ ...request(item(price('basic', 1000)), item(price('pro', 2000))), startingCredit: money(200, 'USD') });
    expect(preview.totals.amountDue.amount).toBe(300);
    expect(preview.totals.endingCredit.amount).toBe(0);
  });
});

describe('previewChange: bad input', () => {
  const basic = item(price('basic', 1000));
  const pro = item(price('pro', 2000));
  it('rejects a change time outside the period', () => {
    expect(() => previewChange(request(basic, pro, april.end))).toThrow(/outside the current period/);
    expect(() => previewChange(request(basic, pro, april.start - 1))).toThrow(BillingInputError);
  });
  it('rejects a period that is not a period of the cycle, and a price off the cycle', () => {
    expect(() => previewChange({ ...request(basic, pro), currentPeriod: { start: april.start, end: april.end + 1000 } })).toThrow(/not a period of the billing cycle/);
    expect(() => previewChange(request(item(price('w', 100, 'week')), pro))).toThrow(/does not bill on the given billing cycle/);
  });
  it('rejects currency changes, bad quantities and unsupported pricing models', () => {
    expect(() => previewChange(request(basic, item(price('eur', 2000, 'month', 'EUR'))))).toThrow(CurrencyMismatchError);
    expect(() => previewChange(request(basic, item(price('pro', 2000), 0)))).toThrow(/quantity must be a positive integer/);
    expect(() => previewChange(request(basic, item({ ...price('pro', 2000), unitAmount: 10.5 })))).toThrow(/unitAmount/);
    expect(() => previewChange(request(basic, item({ ...price('pro', 2000), pricingModel: 'graduated' })))).toThrow(/usage pricing/);
    expect(() => previewChange({ ...request(basic, pro), downgradePolicy: 'never' as DowngradePolicy })).toThrow(/unknown downgrade policy/);
    expect(() => prorationLine(basic, april, april.end, 'credit')).toThrow(/outside the period/);
  });
});

describe('previewChange: properties', () => {
  const usdItem = fc
    .record({ unitAmount: fc.integer({ min: 0, max: 10_000_000 }), quantity: fc.integer({ min: 1, max: 500 }), id: fc.constantFrom('a', 'b', 'c') })
    .map(({ unitAmount, quantity, id }) => item(price(id, unitAmount), quantity));
  const changeTimes = fc.integer({ min: april.start, max: april.end - 1 });

  it('a change and its reverse at the same instant net to zero (within one minor unit)', () => {
    fc.assert(
      fc.property(usdItem, usdItem, changeTimes, (a, b, t) => {
        const forward = previewChange(request(a, b, t, 'immediate_credit'));
        const back = previewChange(request(b, a, t, 'immediate_credit'));
        const net = [...forward.lines, ...back.lines].reduce((acc, l) => acc + l.amount.amount, 0);
        expect(Math.abs(net)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  const anyCadenceItem = fc
    .record({ item: usdItem, interval: fc.constantFrom<BillingInterval>('week', 'month', 'quarter', 'year'), intervalCount: fc.integer({ min: 1, max: 2 }) })
    .map(({ item: i, interval, intervalCount }) => ({ ...i, price: { ...i.price, interval, intervalCount } }));

  it('invoices are never negative; what the lines net below zero goes to the balance', () => {
    fc.assert(
      fc.property(usdItem, anyCadenceItem, changeTimes, fc.constantFrom<DowngradePolicy>('at_period_end', 'immediate_credit'), fc.integer({ min: 0, max: 100_000 }), (a, b, t, policy, credit) => {
        const preview = previewChange({ ...request(a, b, t, policy), startingCredit: money(credit, 'USD') });
        const net = preview.lines.reduce((acc, l) => acc + l.amount.amount, 0);
        const { total, amountDue, creditGenerated, creditApplied, endingCredit } = preview.totals;
        expect(total.amount).toBeGreaterThanOrEqual(0);
        expect(amountDue.amount).toBeGreaterThanOrEqual(0);
        expect(total.amount - creditGenerated.amount).toBe(net);
        expect(endingCredit.amount).toBe(credit - creditApplied.amount + creditGenerated.amount);
        if (preview.kind === 'upgrade' && !preview.intervalChange) expect(net).toBeGreaterThanOrEqual(0);
        if (preview.intervalChange && preview.timing === 'immediate') expect(preview.cycleAfter.anchor).toBe(t);
        if (preview.kind === 'downgrade' && policy === 'at_period_end') expect(preview.lines).toEqual([]);
        // A credit never exceeds what the old item cost for the whole period.
        const credit0 = preview.lines.find((l) => l.kind === 'proration' && l.direction === 'credit');
        if (credit0) expect(-credit0.amount.amount).toBeLessThanOrEqual(a.price.unitAmount * a.quantity);
      }),
      { numRuns: 300 },
    );
  });
});

describe('limitCreditToPaid', () => {
  const usd = (amount: number) => money(amount, 'USD');
  // Halfway through April: a $100 plan whose period got $100 off (100%), moving down to a $10 plan.
  const downgrade = previewChange(request(item(price('team', 10000)), item(price('starter', 1000))));
  const limit = (periodDiscount: number, discountTotal = 0, lines = downgrade.lines) => limitCreditToPaid(lines, { periodDiscount: usd(periodDiscount), currentPeriod: april, at: midApril, discountTotal: usd(discountTotal) });

  it('leaves the lines alone without a period discount, or when the charges use up its unused part', () => {
    expect(limit(0)).toEqual({ lines: downgrade.lines, discountCarried: usd(0) });
    const upgrade = previewChange(request(item(price('starter', 1000)), item(price('team', 10000))));
    // $2 off Starter's period: $1 of it unused, well within the $50 Team charge, which it pays for.
    expect(limit(200, 0, upgrade.lines)).toEqual({ lines: upgrade.lines, discountCarried: usd(100) });
  });

  it('never turns an unused discount into credit: a free period downgraded credits only what the new charge uses of it', () => {
    const { lines, discountCarried } = limit(10000);
    expect(amounts(downgrade.lines)).toEqual([-5000, 500]);
    // Paid nothing for the unused $50: the credit covers the $5 charge and no more.
    expect(amounts(lines)).toEqual([-500, 500]);
    expect(lines[0].description).toMatch(/less the unused discount$/);
    expect(discountCarried).toEqual(usd(500));
  });

  it('credits what was paid for unused time, plus the unused discount up to the charges net of their own discount', () => {
    // 40% off the period ($40): $20 of it unused; the $5 charge got $1 off, so $4 of it offsets and $16 is dropped.
    expect(amounts(limit(4000, 100).lines)).toEqual([-5000 + 1600, 500]);
  });

  it('property: a change credits at most what was paid for the unused time, and all of it when the charges absorb the unused discount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 500 }), (periodDiscount, discountTotal) => {
        const { lines } = limit(periodDiscount, discountTotal);
        const net = lines.reduce((total, line) => total + line.amount.amount, 0) - discountTotal;
        const unusedDiscount = Math.round(periodDiscount / 2);
        const paidForUnused = 5000 - unusedDiscount;
        expect(-net).toBeLessThanOrEqual(paidForUnused + 1);
        expect(lines[0].amount.amount).toBeLessThanOrEqual(0);
        if (500 - discountTotal >= unusedDiscount + 1) expect(lines).toEqual(downgrade.lines);
        else expect(-net).toBeGreaterThanOrEqual(paidForUnused - 1);
      }),
    );
  });

  it('two changes in one period credit, in the end, only what was paid', () => {
    // $100 a month, free this month. Halfway, up to $200: the unused $50 of discount pays half the $100 charge.
    const up = previewChange(request(item(price('basic', 10000)), item(price('plus', 20000))));
    const first = limitCreditToPaid(up.lines, { periodDiscount: usd(10000), currentPeriod: april, at: midApril, discountTotal: usd(0) });
    expect(amounts(first.lines)).toEqual([-5000, 10000]);
    const paid = 10000 - 5000;
    const carried = periodDiscountAfterChange({ intervalChange: false, discountCarried: first.discountCarried, discountTotal: usd(0), currentPeriod: april, at: midApril });
    expect(carried).toEqual(usd(10000));
    // At once down to $20: the $200 plan's unused half was paid $50, and that comes back; the carried $50 of
    // discount pays the $10 charge again. Without the carried discount, $90 would have come back.
    const down = previewChange(request(item(price('plus', 20000)), item(price('lite', 2000))));
    const second = limitCreditToPaid(down.lines, { periodDiscount: carried, currentPeriod: april, at: midApril, discountTotal: usd(0) });
    const net = second.lines.reduce((total, line) => total + line.amount.amount, 0);
    expect(amounts(down.lines)).toEqual([-10000, 1000]);
    expect(net).toBe(-paid);
  });

  it('an interval change carries its own discount and the unused one that paid for it', () => {
    expect(periodDiscountAfterChange({ intervalChange: true, discountCarried: usd(500), discountTotal: usd(9000), currentPeriod: april, at: midApril })).toEqual(usd(9500));
    expect(periodDiscountAfterChange({ intervalChange: false, discountCarried: usd(0), discountTotal: usd(0), currentPeriod: april, at: midApril })).toEqual(usd(0));
  });

  it('refuses negative amounts and another currency', () => {
    expect(() => limit(-1)).toThrow(BillingInputError);
    expect(() => limitCreditToPaid(downgrade.lines, { periodDiscount: money(100, 'EUR'), currentPeriod: april, at: midApril, discountTotal: usd(0) })).toThrow(CurrencyMismatchError);
  });
});
