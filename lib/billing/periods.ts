/**
 * Billing periods: calendar periods counted from an anchor, all in UTC.
 *
 * Time is an integer number of milliseconds since the Unix epoch (`EpochMs`), everywhere in the
 * billing engine; services convert database `Date`s with `getTime()`. No clock is read here: every
 * "now" is a parameter. The calendar is computed with integer arithmetic (no `Date` object at all).
 *
 * Calendar rule: boundary k of a cycle is the anchor moved by k × intervalCount intervals, where
 * week = 7 days and month/quarter/year move the calendar month (quarter = 3 months, year = 12).
 * The anchor's day of month is kept and clamped to the target month's length, and its time of day is
 * kept: monthly from Jan 31 runs Jan 31 → Feb 28 (Feb 29 in a leap year) → Mar 31 → Apr 30. Every
 * boundary is computed from the anchor and its index, never from the previous boundary, so a short
 * month never makes the anchor drift. Periods are half-open: [start, end).
 */
import { BillingInputError } from './errors';

export type EpochMs = number;
export type BillingInterval = 'week' | 'month' | 'quarter' | 'year';
export const BILLING_INTERVALS: readonly BillingInterval[] = ['week', 'month', 'quarter', 'year'];

export interface BillingCycle {
  /** The instant every boundary is aligned to (subscription start or trial end). */
  readonly anchor: EpochMs;
  readonly interval: BillingInterval;
  /** Positive integer: 2 with `week` bills fortnightly. */
  readonly intervalCount: number;
}

/** A half-open period [start, end). */
export interface BillingPeriod {
  readonly start: EpochMs;
  readonly end: EpochMs;
}

export interface IndexedPeriod extends BillingPeriod {
  /** 0 for the period starting at the anchor. */
  readonly index: number;
}

export const MS_PER_SECOND = 1000;
export const MS_PER_DAY = 86_400_000;
const MONTHS_PER: Record<Exclude<BillingInterval, 'week'>, number> = { month: 1, quarter: 3, year: 12 };
/** Longest cycle accepted: three years, as payment providers allow. */
const MAX_COUNT: Record<BillingInterval, number> = { week: 156, month: 36, quarter: 12, year: 3 };
/** Instants accepted: 1970-01-01 up to the end of year 9999. */
const MAX_INSTANT = 253_402_300_799_999;

export function assertInstant(t: EpochMs, what: string): void {
  if (!Number.isSafeInteger(t) || t < 0 || t > MAX_INSTANT) {
    throw new BillingInputError(`${what} must be an integer epoch-milliseconds instant between 1970 and 9999, got ${t}`);
  }
}

export function assertCycle(cycle: BillingCycle): void {
  assertInstant(cycle.anchor, 'anchor');
  if (!BILLING_INTERVALS.includes(cycle.interval)) throw new BillingInputError(`unknown billing interval "${String(cycle.interval)}"`);
  const max = MAX_COUNT[cycle.interval];
  if (!Number.isSafeInteger(cycle.intervalCount) || cycle.intervalCount < 1 || cycle.intervalCount > max) {
    throw new BillingInputError(`intervalCount for ${cycle.interval} must be an integer from 1 to ${max}, got ${cycle.intervalCount}`);
  }
}

export function assertPeriod(period: BillingPeriod): void {
  assertInstant(period.start, 'period start');
  assertInstant(period.end, 'period end');
  if (period.end <= period.start) throw new BillingInputError('a billing period must end after it starts');
}

// ---------------------------------------------------------------- civil calendar (proleptic Gregorian, UTC)

const floorDiv = (a: number, b: number) => Math.floor(a / b);

/** Days since 1970-01-01 for a civil date (month 1–12). After H. Hinnant's `days_from_civil`. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date (month 1–12) of a day count since 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The UTC calendar date and time of day of an instant. */
export function utcParts(t: EpochMs): { year: number; month: number; day: number; msOfDay: number } {
  const days = floorDiv(t, MS_PER_DAY);
  return { ...civilFromDays(days), msOfDay: t - days * MS_PER_DAY };
}

/** `YYYY-MM-DD` of an instant in UTC, for line descriptions. */
export function formatUtcDate(t: EpochMs): string {
  const { year, month, day } = utcParts(t);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Moves an instant by whole calendar months, keeping its day (clamped) and its time of day. */
export function addMonthsClamped(t: EpochMs, months: number): EpochMs {
  const { year, month, day, msOfDay } = utcParts(t);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = floorDiv(monthIndex, 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return daysFromCivil(targetYear, targetMonth, targetDay) * MS_PER_DAY + msOfDay;
}

// ---------------------------------------------------------------- periods

/** Boundary `index` of a cycle (index 0 is the anchor), computed from the anchor alone. */
export function periodBoundary(cycle: BillingCycle, index: number): EpochMs {
  assertCycle(cycle);
  if (!Number.isSafeInteger(index)) throw new BillingInputError(`period index must be an integer, got ${index}`);
  const boundary =
    cycle.interval === 'week'
      ? cycle.anchor + index * cycle.intervalCount * 7 * MS_PER_DAY
      : addMonthsClamped(cycle.anchor, index * cycle.intervalCount * MONTHS_PER[cycle.interval]);
  assertInstant(boundary, `boundary ${index}`);
  return boundary;
}

/** Period `index` of a cycle: [boundary(index), boundary(index + 1)). */
export function periodAt(cycle: BillingCycle, index: number): IndexedPeriod {
  if (!Number.isSafeInteger(index) || index < 0) throw new BillingInputError(`period index must be a non-negative integer, got ${index}`);
  return { index, start: periodBoundary(cycle, index), end: periodBoundary(cycle, index + 1) };
}

/** The period that contains instant `t` (t ≥ anchor). */
export function periodContaining(cycle: BillingCycle, t: EpochMs): IndexedPeriod {
  assertCycle(cycle);
  assertInstant(t, 'time');
  if (t < cycle.anchor) throw new BillingInputError('time is before the billing cycle anchor');
  let index: number;
  if (cycle.interval === 'week') {
    index = floorDiv(t - cycle.anchor, cycle.intervalCount * 7 * MS_PER_DAY);
  } else {
    const a = utcParts(cycle.anchor);
    const b = utcParts(t);
    const months = (b.year - a.year) * 12 + (b.month - a.month);
    index = Math.max(0, floorDiv(months, cycle.intervalCount * MONTHS_PER[cycle.interval]));
    // The month estimate can be one period off around the anchor day; settle it exactly.
    while (index > 0 && periodBoundary(cycle, index) > t) index -= 1;
    while (periodBoundary(cycle, index + 1) <= t) index += 1;
  }
  return periodAt(cycle, index);
}

/** The end of the period that starts at `periodStart`, which must be a boundary of the cycle. */
export function nextPeriodEnd(cycle: BillingCycle, periodStart: EpochMs): EpochMs {
  const period = periodContaining(cycle, periodStart);
  if (period.start !== periodStart) throw new BillingInputError('periodStart is not a period boundary of this billing cycle');
  return period.end;
}

/** The instant a trial of `trialDays` whole days (products.trialDays) that starts at `start` ends. */
export function trialEndsAt(start: EpochMs, trialDays: number): EpochMs {
  assertInstant(start, 'trial start');
  if (!Number.isSafeInteger(trialDays) || trialDays < 0 || trialDays > 730) {
    throw new BillingInputError(`trialDays must be an integer from 0 to 730, got ${trialDays}`);
  }
  return start + trialDays * MS_PER_DAY;
}

/**
 * Whole seconds from `from` to `to`, each instant truncated to its second (as Unix timestamps are):
 * the unit of proration. Truncating each end, not the difference, keeps used + unused = whole period.
 */
export function wholeSecondsBetween(from: EpochMs, to: EpochMs): number {
  return floorDiv(to, MS_PER_SECOND) - floorDiv(from, MS_PER_SECOND);
}

/**
 * Cadence of a cycle as a comparable length: months for month/quarter/year, days for weeks.
 * Two cycles with equal cadence (month × 3 and quarter × 1) bill on the same boundaries.
 */
export function cadence(interval: BillingInterval, intervalCount: number): { unit: 'day' | 'month'; length: number } {
  return interval === 'week' ? { unit: 'day', length: 7 * intervalCount } : { unit: 'month', length: MONTHS_PER[interval] * intervalCount };
}

export function sameCadence(a: { interval: BillingInterval; intervalCount: number }, b: { interval: BillingInterval; intervalCount: number }): boolean {
  const x = cadence(a.interval, a.intervalCount);
  const y = cadence(b.interval, b.intervalCount);
  return x.unit === y.unit && x.length === y.length;
}

/**
 * Nominal length in seconds of one cycle, on the mean Gregorian year (365.2425 days, 12 equal months),
 * for comparing cadences of different units (weeks vs months). Never used to compute a boundary.
 */
export function nominalCycleSeconds(interval: BillingInterval, intervalCount: number): number {
  const c = cadence(interval, intervalCount);
  return c.unit === 'day' ? c.length * 86_400 : c.length * 2_629_746;
}
