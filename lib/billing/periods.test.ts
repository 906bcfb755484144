import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BillingInputError } from './errors';
import {
  addMonthsClamped,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  MS_PER_DAY,
  nextPeriodEnd,
  periodAt,
  periodBoundary,
  periodContaining,
  sameCadence,
  nominalCycleSeconds,
  trialEndsAt,
  utcParts,
  wholeSecondsBetween,
  type BillingCycle,
  type BillingInterval,
} from './periods';

const at = (iso: string) => Date.parse(iso);
const monthly = (anchor: string, intervalCount = 1): BillingCycle => ({ anchor: at(anchor), interval: 'month', intervalCount });

describe('civil calendar', () => {
  it('agrees with Date.UTC on every day from 1970 to 2400 (sampled)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 157_000 }), (days) => {
        const { year, month, day } = civilFromDays(days);
        expect(Date.UTC(year, month - 1, day)).toBe(days * MS_PER_DAY);
        expect(daysFromCivil(year, month, day)).toBe(days);
      }),
      { numRuns: 500 },
    );
  });

  it('knows month lengths and leap years', () => {
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(daysInMonth(2024, 12)).toBe(31);
    expect(utcParts(at('2024-02-29T13:45:01.250Z'))).toEqual({ year: 2024, month: 2, day: 29, msOfDay: (13 * 3600 + 45 * 60 + 1) * 1000 + 250 });
  });

  it('adds months with clamping and keeps the time of day', () => {
    expect(addMonthsClamped(at('2023-01-31T09:30:00Z'), 1)).toBe(at('2023-02-28T09:30:00Z'));
    expect(addMonthsClamped(at('2024-01-31T09:30:00Z'), 1)).toBe(at('2024-02-29T09:30:00Z'));
    expect(addMonthsClamped(at('2024-01-31T09:30:00Z'), 3)).toBe(at('2024-04-30T09:30:00Z'));
    expect(addMonthsClamped(at('2024-11-15T00:00:00Z'), 2)).toBe(at('2025-01-15T00:00:00Z'));
    expect(addMonthsClamped(at('2024-03-31T00:00:00Z'), -1)).toBe(at('2024-02-29T00:00:00Z'));
  });
});

describe('periods', () => {
  // Stripe's documented example: a monthly anchor of January 31 bills on the last day of shorter
  // months — Feb 28 (29 in a leap year), then Mar 31, Apr 30.
  // https://docs.stripe.com/billing/subscriptions/billing-cycle
  it('monthly from Jan 31 runs Feb 29 (leap) → Mar 31 → Apr 30, never drifting', () => {
    const cycle = monthly('2024-01-31T10:00:00Z');
    const boundaries = [0, 1, 2, 3, 4, 13].map((k) => periodBoundary(cycle, k));
    expect(boundaries).toEqual(
      ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31', '2025-02-28'].map((d) => at(`${d}T10:00:00Z`)),
    );
  });

  it('weekly keeps the weekday and time; quarterly and yearly move months', () => {
    const weekly: BillingCycle = { anchor: at('2022-06-03T08:00:00Z'), interval: 'week', intervalCount: 1 };
    expect(periodAt(weekly, 2)).toEqual({ index: 2, start: at('2022-06-17T08:00:00Z'), end: at('2022-06-24T08:00:00Z') });
    const fortnightly: BillingCycle = { ...weekly, intervalCount: 2 };
    expect(periodAt(fortnightly, 1).start).toBe(at('2022-06-17T08:00:00Z'));
    const quarterly: BillingCycle = { anchor: at('2023-11-30T00:00:00Z'), interval: 'quarter', intervalCount: 1 };
    expect(periodAt(quarterly, 0).end).toBe(at('2024-02-29T00:00:00Z'));
    expect(periodAt(quarterly, 1).end).toBe(at('2024-05-30T00:00:00Z'));
    const yearly: BillingCycle = { anchor: at('2024-02-29T12:00:00Z'), interval: 'year', intervalCount: 1 };
    expect([1, 2, 3, 4].map((k) => periodBoundary(yearly, k))).toEqual(
      ['2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29'].map((d) => at(`${d}T12:00:00Z`)),
    );
  });

  it('finds the period containing an instant, boundaries belonging to the later period', () => {
    const cycle = monthly('2024-01-31T10:00:00Z');
    expect(periodContaining(cycle, at('2024-01-31T10:00:00Z'))).toEqual({ index: 0, start: at('2024-01-31T10:00:00Z'), end: at('2024-02-29T10:00:00Z') });
    expect(periodContaining(cycle, at('2024-02-29T09:59:59.999Z')).index).toBe(0);
    expect(periodContaining(cycle, at('2024-02-29T10:00:00Z')).index).toBe(1);
    expect(periodContaining(cycle, at('2024-03-31T09:00:00Z')).index).toBe(1);
    expect(periodContaining(cycle, at('2024-03-31T11:00:00Z')).index).toBe(2);
    expect(periodContaining(cycle, at('2024-04-01T00:00:00Z'))).toEqual({ index: 2, start: at('2024-03-31T10:00:00Z'), end: at('2024-04-30T10:00:00Z') });
  });

  it('nextPeriodEnd follows a boundary and refuses a non-boundary start', () => {
    const cycle = monthly('2023-01-31T00:00:00Z');
    expect(nextPeriodEnd(cycle, at('2023-02-28T00:00:00Z'))).toBe(at('2023-03-31T00:00:00Z'));
    expect(() => nextPeriodEnd(cycle, at('2023-02-27T00:00:00Z'))).toThrow(/not a period boundary/);
  });

  it('validates its input', () => {
    expect(() => periodContaining(monthly('2024-01-31T00:00:00Z'), at('2024-01-30T00:00:00Z'))).toThrow(/before the billing cycle anchor/);
    expect(() => periodAt(monthly('2024-01-01T00:00:00Z', 0), 0)).toThrow(/intervalCount/);
    expect(() => periodAt(monthly('2024-01-01T00:00:00Z', 37), 0)).toThrow(/intervalCount/);
    expect(() => periodAt({ anchor: 0, interval: 'day' as BillingInterval, intervalCount: 1 }, 0)).toThrow(/unknown billing interval/);
    expect(() => periodAt(monthly('2024-01-01T00:00:00Z'), -1)).toThrow(BillingInputError);
    expect(() => periodContaining({ anchor: 1.5, interval: 'week', intervalCount: 1 }, 2)).toThrow(/anchor must be an integer/);
    expect(() => trialEndsAt(0, -1)).toThrow(/trialDays/);
  });

  it('trials, seconds and cadences', () => {
    expect(trialEndsAt(at('2024-02-20T10:00:00Z'), 14)).toBe(at('2024-03-05T10:00:00Z'));
    expect(wholeSecondsBetween(1_999, 5_001)).toBe(4); // seconds 1 → 5
    expect(sameCadence({ interval: 'month', intervalCount: 3 }, { interval: 'quarter', intervalCount: 1 })).toBe(true);
    expect(sameCadence({ interval: 'month', intervalCount: 12 }, { interval: 'year', intervalCount: 1 })).toBe(true);
    expect(sameCadence({ interval: 'week', intervalCount: 4 }, { interval: 'month', intervalCount: 1 })).toBe(false);
    expect(nominalCycleSeconds('year', 1)).toBe(12 * nominalCycleSeconds('month', 1));
    expect(nominalCycleSeconds('week', 5)).toBeGreaterThan(nominalCycleSeconds('month', 1));
  });

  const anchors = fc.integer({ min: at('1990-01-01T00:00:00Z'), max: at('2090-01-01T00:00:00Z') });
  const cycles = fc.record({
    anchor: anchors,
    interval: fc.constantFrom<BillingInterval>('week', 'month', 'quarter', 'year'),
    intervalCount: fc.integer({ min: 1, max: 3 }),
  });

  it('property: over 10 years of monthly renewals the day is min(anchorDay, daysInMonth) and the time is kept', () => {
    fc.assert(
      fc.property(anchors, fc.integer({ min: 1, max: 6 }), (anchor, intervalCount) => {
        const cycle: BillingCycle = { anchor, interval: 'month', intervalCount };
        const a = utcParts(anchor);
        for (let k = 0; k * intervalCount <= 120; k += 1) {
          const b = utcParts(periodBoundary(cycle, k));
          const monthsFromAnchor = (b.year - a.year) * 12 + (b.month - a.month);
          expect(monthsFromAnchor).toBe(k * intervalCount);
          expect(b.day).toBe(Math.min(a.day, daysInMonth(b.year, b.month)));
          expect(b.msOfDay).toBe(a.msOfDay);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('property: periods are contiguous and non-empty, and periodContaining finds each instant', () => {
    fc.assert(
      fc.property(cycles, fc.integer({ min: 0, max: 10 * 366 * MS_PER_DAY }), (cycle, offset) => {
        let previous = periodAt(cycle, 0);
        for (let k = 1; k <= 40; k += 1) {
          const period = periodAt(cycle, k);
          expect(period.start).toBe(previous.end);
          expect(period.end).toBeGreaterThan(period.start);
          previous = period;
        }
        const t = cycle.anchor + offset;
        const found = periodContaining(cycle, t);
        expect(found.start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(found.end);
        expect(periodAt(cycle, found.index)).toEqual(found);
        expect(nextPeriodEnd(cycle, found.start)).toBe(found.end);
      }),
      { numRuns: 300 },
    );
  });
});
