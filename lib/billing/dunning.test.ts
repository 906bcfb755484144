import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertRetrySchedule, DEFAULT_RETRY_DAYS, nextDunningStep, parseRetrySchedule } from './dunning';
import { BillingInputError } from './errors';

const DAY = 86_400_000;
const failedAt = Date.UTC(2026, 0, 31, 10, 0, 0);

describe('nextDunningStep', () => {
  it('retries 3, 7 and 14 days after the first failure by default, then gives up', () => {
    expect(nextDunningStep(DEFAULT_RETRY_DAYS, failedAt, 1)).toEqual({ kind: 'retry', retry: 1, at: failedAt + 3 * DAY });
    expect(nextDunningStep(DEFAULT_RETRY_DAYS, failedAt, 2)).toEqual({ kind: 'retry', retry: 2, at: failedAt + 7 * DAY });
    expect(nextDunningStep(DEFAULT_RETRY_DAYS, failedAt, 3)).toEqual({ kind: 'retry', retry: 3, at: failedAt + 14 * DAY });
    expect(nextDunningStep(DEFAULT_RETRY_DAYS, failedAt, 4)).toEqual({ kind: 'exhausted' });
  });

  it('counts from the first failure, so a late retry does not push the rest back', () => {
    // However late retry 1 ran, retry 2 is still 7 days after the first failure.
    expect(nextDunningStep([1, 2], failedAt, 2)).toEqual({ kind: 'retry', retry: 2, at: failedAt + 2 * DAY });
  });

  it('gives up at once with no retries configured', () => {
    expect(nextDunningStep([], failedAt, 1)).toEqual({ kind: 'exhausted' });
  });

  it('refuses a bad attempt number or instant', () => {
    expect(() => nextDunningStep(DEFAULT_RETRY_DAYS, failedAt, 0)).toThrow(BillingInputError);
    expect(() => nextDunningStep(DEFAULT_RETRY_DAYS, failedAt, 1.5)).toThrow(BillingInputError);
    expect(() => nextDunningStep(DEFAULT_RETRY_DAYS, Number.NaN, 1)).toThrow(BillingInputError);
  });

  it('retries strictly later each time and exhausts after exactly as many retries as configured (property)', () => {
    const schedule = fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 10 }).map((days) => [...days].sort((a, b) => a - b));
    fc.assert(
      fc.property(schedule, (days) => {
        let previous = failedAt;
        for (let attempt = 1; attempt <= days.length; attempt++) {
          const step = nextDunningStep(days, failedAt, attempt);
          expect(step.kind).toBe('retry');
          if (step.kind === 'retry') {
            expect(step.at).toBeGreaterThan(previous);
            previous = step.at;
          }
        }
        expect(nextDunningStep(days, failedAt, days.length + 1)).toEqual({ kind: 'exhausted' });
      }),
    );
  });
});

describe('parseRetrySchedule', () => {
  it('reads comma-separated days', () => {
    expect(parseRetrySchedule('3,7,14')).toEqual([3, 7, 14]);
    expect(parseRetrySchedule(' 1, 2 ')).toEqual([1, 2]);
    expect(parseRetrySchedule('none')).toEqual([]);
    expect(parseRetrySchedule('')).toEqual([]);
  });

  it('says what is wrong with a bad schedule', () => {
    expect(() => parseRetrySchedule('3,3')).toThrow(/must increase/);
    expect(() => parseRetrySchedule('7,3')).toThrow(/must increase/);
    expect(() => parseRetrySchedule('0,3')).toThrow(/from 1 to 60/);
    expect(() => parseRetrySchedule('61')).toThrow(/from 1 to 60/);
    expect(() => parseRetrySchedule('3.5')).toThrow(/whole numbers/);
    expect(() => parseRetrySchedule('3,,7')).toThrow(/whole numbers/);
    expect(() => parseRetrySchedule('1,2,3,4,5,6,7,8,9,10,11')).toThrow(/at most 10/);
    expect(() => assertRetrySchedule([1, Number.NaN])).toThrow(BillingInputError);
  });
});
