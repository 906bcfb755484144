/**
 * The dunning schedule: when a failed invoice is charged again, and when to give up. Pure: the
 * instants are passed in. Retries are counted from the first failure (not from each other), so a
 * retry the customer triggers by adding a card does not push the schedule back.
 *
 *   attempt 1 (the renewal charge) fails at F → retry at F + days[0] → … → F + days[n−1] → exhausted
 */
import { BillingInputError } from './errors';
import { assertInstant, type EpochMs } from './periods';
import type { SubscriptionSettings } from './subscription-state';

/** The state machine's choices and the retry schedule (DUNNING_RETRY_DAYS). */
export interface DunningSettings extends SubscriptionSettings {
  /** Days after the first failure; see assertRetrySchedule. */
  readonly retryDays: readonly number[];
}

const DAY_MS = 86_400_000;

export const DEFAULT_RETRY_DAYS: readonly number[] = [3, 7, 14];
export const MAX_RETRIES = 10;
export const MAX_RETRY_DAY = 60;

/** Days after the first failure, strictly increasing whole numbers from 1 to 60; at most 10 retries (none: give up at once). */
export function assertRetrySchedule(days: readonly number[]): void {
  if (days.length > MAX_RETRIES) throw new BillingInputError(`at most ${MAX_RETRIES} retries, got ${days.length}`);
  days.forEach((day, i) => {
    if (!Number.isInteger(day) || day < 1 || day > MAX_RETRY_DAY) throw new BillingInputError(`retry ${i + 1}: expected a whole number of days from 1 to ${MAX_RETRY_DAY}, got ${day}`);
    if (i > 0 && day <= days[i - 1]) throw new BillingInputError(`retry ${i + 1}: days must increase (${days[i - 1]} then ${day})`);
  });
}

/** "3,7,14" → [3, 7, 14]; "" or "none" → no retries. */
export function parseRetrySchedule(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  const days = trimmed.split(',').map((part) => {
    const item = part.trim();
    if (!/^\d{1,3}$/.test(item)) throw new BillingInputError(`expected comma-separated whole numbers of days such as 3,7,14, got "${item}"`);
    return Number(item);
  });
  assertRetrySchedule(days);
  return days;
}

export type DunningStep = { kind: 'retry'; at: EpochMs; retry: number } | { kind: 'exhausted' };

/**
 * After scheduled attempt `attempt` failed (1 = the first charge, 2 = the first retry, …): the next
 * retry, numbered from 1, and when it is due; or `exhausted` once the last retry has failed.
 */
export function nextDunningStep(schedule: readonly number[], firstFailedAt: EpochMs, attempt: number): DunningStep {
  assertRetrySchedule(schedule);
  assertInstant(firstFailedAt, 'firstFailedAt');
  if (!Number.isInteger(attempt) || attempt < 1) throw new BillingInputError(`attempt must be a whole number ≥ 1, got ${attempt}`);
  const retry = attempt; // the retry that follows attempt n is retry n
  if (retry > schedule.length) return { kind: 'exhausted' };
  return { kind: 'retry', retry, at: firstFailedAt + schedule[retry - 1] * DAY_MS };
}
