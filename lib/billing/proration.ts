/**
 * Plan, price and seat changes in the middle of a period, prorated as Stripe does it: by the second,
 * from the current period's start and end and the instant of the change.
 * See https://docs.stripe.com/billing/subscriptions/prorations and, for interval changes,
 * https://support.stripe.com/questions/handling-subscription-changes (the new interval's first full
 * period starts at once and is charged in full, less the credit for unused time).
 *
 * Same cadence (month → month, month × 3 → quarter):
 *   credit  = −prorate(old price × old quantity, unused seconds, period seconds)
 *   charge  = +prorate(new price × new quantity, unused seconds, period seconds)
 *   upgrade (dearer per period, e.g. more seats) → both lines, invoiced at once;
 *   downgrade → by policy: `at_period_end` (no lines; the new item takes over at the period end) or
 *   `immediate_credit` (both lines; what the credit exceeds goes to the customer's credit balance).
 * Interval change (month → year): the subscription is re-anchored at the change; lines are the credit
 *   for unused old time and a full charge for the new first period. Lengthening the cycle is an
 *   upgrade; shortening it (year → month) is a downgrade and follows the downgrade policy.
 *
 * During a free trial (`inTrial`) a change produces no lines and applies at once.
 *
 * Unused seconds = whole seconds from the change to the period end; each instant is truncated to its
 * second. The one rounding step is `prorate` (half-even on the magnitude, see money.ts), so a credit
 * and a charge for the same item and time are exact mirrors.
 */
import { BillingInputError, CurrencyMismatchError } from './errors';
import { computeInvoiceTotals, subscriptionLine, flatSubscriptionLine, type InvoiceLine, type InvoiceTotals, type ProrationLine, type SubscriptionLine } from './invoice-totals';
import { add, compare, divideRoundHalfEven, money, negate, prorate, type Money } from './money';
import {
  assertInstant,
  assertPeriod,
  formatUtcDate,
  nominalCycleSeconds,
  periodAt,
  periodContaining,
  sameCadence,
  wholeSecondsBetween,
  type BillingCycle,
  type BillingPeriod,
  type EpochMs,
} from './periods';
import { cycleFor, itemLabel, periodAmount, type SubscriptionItem } from './price';

export type DowngradePolicy = 'at_period_end' | 'immediate_credit';
export type ChangeKind = 'upgrade' | 'downgrade' | 'lateral' | 'no_change';

export interface ChangeRequest {
  /** The subscription's billing cycle (anchor, interval, count) before the change. */
  readonly cycle: BillingCycle;
  /** The current period as stored; must be a period of `cycle`. */
  readonly currentPeriod: BillingPeriod;
  readonly current: SubscriptionItem;
  readonly next: SubscriptionItem;
  /** The instant of the change, within [currentPeriod.start, currentPeriod.end). */
  readonly at: EpochMs;
  readonly downgradePolicy: DowngradePolicy;
  /** The current period is a free trial: nothing was paid, so nothing is prorated; the next item applies at once. */
  readonly inTrial?: boolean;
  /** The customer's credit balance before the change (≥ 0), for the preview's amount due. */
  readonly startingCredit?: Money;
}

export interface ChangePreview {
  readonly kind: ChangeKind;
  readonly intervalChange: boolean;
  /** `immediate`: the next item applies from `at`; `at_period_end`: from the current period's end. */
  readonly timing: 'immediate' | 'at_period_end';
  readonly effectiveAt: EpochMs;
  /** Exactly the invoice lines the change produces now (empty when scheduled or unchanged). */
  readonly lines: readonly InvoiceLine[];
  /** The invoice those lines make now: amount due, and credit beyond it going to the balance. */
  readonly totals: InvoiceTotals;
  /** The billing cycle in force from `effectiveAt`. */
  readonly cycleAfter: BillingCycle;
  /** The period that starts, or continues, at `effectiveAt` under the new item. */
  readonly periodAfter: BillingPeriod;
}

/** A proration line for `item` over [from, period.end): a credit (negative) or a charge (positive). */
export function prorationLine(item: SubscriptionItem, period: BillingPeriod, from: EpochMs, direction: 'credit' | 'charge'): ProrationLine {
  assertPeriod(period);
  assertInstant(from, 'proration start');
  if (from < period.start || from >= period.end) throw new BillingInputError('proration start is outside the period');
  const full = periodAmount(item);
  const prorated = prorate(full, wholeSecondsBetween(from, period.end), wholeSecondsBetween(period.start, period.end));
  const label = itemLabel(item);
  return {
    kind: 'proration',
    direction,
    priceId: item.price.id,
    quantity: item.quantity,
    unitAmount: money(item.price.unitAmount, full.currency),
    amount: direction === 'credit' ? negate(prorated) : prorated,
    description: `${direction === 'credit' ? 'Unused time on' : 'Remaining time on'} ${label} after ${formatUtcDate(from)}`,
    period: { start: from, end: period.end },
  };
}

export interface PaidCredit {
  readonly lines: InvoiceLine[];
  /** The part of the unused discount that paid for the change's charges: the period after the change carries it. */
  readonly discountCarried: Money;
}

/**
 * A plan change's credit for unused time is at the full price, so it also hands back the unused part of
 * the discount the period's plan charge got (`periodDiscount`). That part may pay for the change's
 * charges (net of their own discount, `discountTotal`), but it was never paid, so it never becomes
 * credit: the credit line is reduced by what of it the charges leave over. Lines are otherwise unchanged.
 */
export function limitCreditToPaid(lines: readonly InvoiceLine[], input: { periodDiscount: Money; currentPeriod: BillingPeriod; at: EpochMs; discountTotal: Money }): PaidCredit {
  const { periodDiscount, currentPeriod, at, discountTotal } = input;
  if (periodDiscount.amount < 0 || discountTotal.amount < 0) throw new BillingInputError('periodDiscount and discountTotal must not be negative');
  const none = { lines: [...lines], discountCarried: money(0, periodDiscount.currency) };
  const index = lines.findIndex((line) => line.kind === 'proration' && line.direction === 'credit');
  if (index < 0 || periodDiscount.amount === 0) return none;
  const credit = lines[index] as ProrationLine;
  if (credit.amount.currency !== periodDiscount.currency) throw new CurrencyMismatchError(credit.amount.currency, periodDiscount.currency, 'period discount');
  const unusedDiscount = prorate(periodDiscount, wholeSecondsBetween(at, currentPeriod.end), wholeSecondsBetween(currentPeriod.start, currentPeriod.end));
  const charges = Math.max(0, lines.reduce((total, line) => total + Math.max(0, line.amount.amount), 0) - discountTotal.amount);
  // Never more than the credit itself: the discount was at most the charge it was on.
  const excess = Math.min(-credit.amount.amount, Math.max(0, unusedDiscount.amount - charges));
  const discountCarried = money(Math.min(unusedDiscount.amount, charges), credit.amount.currency);
  if (excess === 0) return { lines: [...lines], discountCarried };
  const limited: ProrationLine = { ...credit, amount: money(credit.amount.amount + excess, credit.amount.currency), description: `${credit.description}, less the unused discount` };
  return { lines: lines.map((line, i) => (i === index ? limited : line)), discountCarried };
}

/**
 * The discount on the full plan charge of the period after an immediate change, which the next
 * change's `limitCreditToPaid` reads. An interval change's new period got its coupon's discount
 * (`discountTotal`) and the unused discount that paid for it; the rest of the same period got the
 * carried discount over the remaining time, which is scaled to the whole period.
 */
export function periodDiscountAfterChange(input: { intervalChange: boolean; discountCarried: Money; discountTotal: Money; currentPeriod: BillingPeriod; at: EpochMs }): Money {
  const { discountCarried, discountTotal, currentPeriod, at } = input;
  if (input.intervalChange) return add(discountTotal, discountCarried);
  const unused = wholeSecondsBetween(at, currentPeriod.end);
  if (discountCarried.amount === 0 || unused === 0) return money(0, discountCarried.currency);
  const scaled = divideRoundHalfEven(BigInt(discountCarried.amount) * BigInt(wholeSecondsBetween(currentPeriod.start, currentPeriod.end)), BigInt(unused));
  return money(Number(scaled), discountCarried.currency);
}

/** The full-period line of an item for a period (the renewal line, or an interval change's first period). */
export function fullPeriodLine(item: SubscriptionItem, period: BillingPeriod): SubscriptionLine {
  const amount = periodAmount(item);
  const description = `${itemLabel(item)} (${formatUtcDate(period.start)} – ${formatUtcDate(period.end)})`;
  const priceId = item.price.id;
  if ((item.price.pricingModel ?? 'per_unit') === 'flat') return flatSubscriptionLine({ priceId, description, amount, quantity: item.quantity, period });
  return subscriptionLine({ priceId, description, unitAmount: money(item.price.unitAmount, amount.currency), quantity: item.quantity, period });
}

const span = (period: BillingPeriod): BillingPeriod => ({ start: period.start, end: period.end });

function classify(current: SubscriptionItem, next: SubscriptionItem, intervalChange: boolean): ChangeKind {
  if (intervalChange) {
    const lengthening = nominalCycleSeconds(next.price.interval, next.price.intervalCount) >= nominalCycleSeconds(current.price.interval, current.price.intervalCount);
    return lengthening ? 'upgrade' : 'downgrade';
  }
  const order = compare(periodAmount(next), periodAmount(current));
  if (order > 0) return 'upgrade';
  if (order < 0) return 'downgrade';
  return next.price.id === current.price.id && next.quantity === current.quantity ? 'no_change' : 'lateral';
}

function validate(request: ChangeRequest): void {
  const { cycle, currentPeriod, current, next, at } = request;
  const currentAmount = periodAmount(current);
  const nextAmount = periodAmount(next);
  if (currentAmount.currency !== nextAmount.currency) throw new CurrencyMismatchError(currentAmount.currency, nextAmount.currency, 'change of subscription item');
  if (!sameCadence(current.price, cycle)) throw new BillingInputError('the current price does not bill on the given billing cycle');
  assertPeriod(currentPeriod);
  const actual = periodContaining(cycle, currentPeriod.start);
  if (actual.start !== currentPeriod.start || actual.end !== currentPeriod.end) throw new BillingInputError('currentPeriod is not a period of the billing cycle');
  assertInstant(at, 'change time');
  if (at < currentPeriod.start || at >= currentPeriod.end) throw new BillingInputError('the change time is outside the current period');
  if (request.downgradePolicy !== 'at_period_end' && request.downgradePolicy !== 'immediate_credit') {
    throw new BillingInputError(`unknown downgrade policy "${String(request.downgradePolicy)}"`);
  }
}

/**
 * What changing `current` to `next` at `at` will produce: the lines, the invoice they make now, and
 * the cycle and period that follow. The portal shows this before the customer confirms; the change
 * service applies exactly these lines.
 */
export function previewChange(request: ChangeRequest): ChangePreview {
  validate(request);
  const { cycle, currentPeriod, current, next, at } = request;
  const currency = periodAmount(current).currency;
  const intervalChange = !sameCadence(current.price, next.price);
  const kind = classify(current, next, intervalChange);
  const scheduled = kind === 'downgrade' && request.downgradePolicy === 'at_period_end' && !request.inTrial;
  const effectiveAt = scheduled ? currentPeriod.end : at;

  let lines: InvoiceLine[] = [];
  let cycleAfter: BillingCycle = cycle;
  let periodAfter: BillingPeriod = currentPeriod;
  if (intervalChange) {
    cycleAfter = cycleFor(next.price, effectiveAt);
    periodAfter = span(periodAt(cycleAfter, 0));
    if (!scheduled) lines = [prorationLine(current, currentPeriod, at, 'credit'), fullPeriodLine(next, periodAfter)];
  } else if (scheduled) {
    periodAfter = span(periodContaining(cycle, currentPeriod.end));
  } else if (kind !== 'no_change') {
    lines = [prorationLine(current, currentPeriod, at, 'credit'), prorationLine(next, currentPeriod, at, 'charge')];
  }

  if (request.inTrial) {
    // A trial is free: switching within it bills nothing; the first invoice comes at the trial's end.
    // The trial period goes on unchanged; the cycle keeps its anchor and takes the new cadence.
    lines = [];
    cycleAfter = cycleFor(next.price, cycle.anchor);
    periodAfter = currentPeriod;
  }
  const totals = computeInvoiceTotals({ currency, lines, startingCredit: request.startingCredit });
  return { kind, intervalChange, timing: scheduled ? 'at_period_end' : 'immediate', effectiveAt, lines, totals, cycleAfter, periodAfter };
}
