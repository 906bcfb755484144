/**
 * Money arithmetic for the billing engine: an integer amount in the currency's minor unit plus an
 * ISO 4217 code. No floats ever carry money; ratios use BigInt and one explicit rounding step.
 *
 * Rounding rule (prorate): round half to even ("banker's rounding") on the magnitude, then the sign
 * is restored. Why half-even: proration runs on every plan change of every customer, and exact
 * ties (x.5 minor units) are systematically pushed up by half-up, a small bias in the merchant's
 * favour; half-even is unbiased in aggregate. Why on the magnitude: a credit for unused time and the
 * charge for the same time are then exact mirrors, so a change and its reverse net to zero.
 *
 * Splitting rule (allocate): largest remainder, so the parts always sum back exactly to the total.
 */
import { currencyExponent, formatMoney as formatMinorUnits } from '@/lib/money';
import { AmountOverflowError, BillingInputError, CurrencyMismatchError } from './errors';

export interface Money {
  /** Integer amount in the currency's minor unit (cents, yen, fils...). May be negative (credits). */
  readonly amount: number;
  /** Upper-case ISO 4217 code, e.g. `USD`. */
  readonly currency: string;
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Validates and normalizes a currency code (`usd` -> `USD`). */
export function normalizeCurrency(currency: string): string {
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  if (!CURRENCY_CODE.test(code)) throw new BillingInputError(`"${String(currency)}" is not an ISO 4217 currency code`);
  return code;
}

export function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new BillingInputError(`${what} must be a safe integer, got ${value}`);
}

/** Builds a Money value, rejecting non-integer amounts and malformed currency codes. */
export function money(amount: number, currency: string): Money {
  assertSafeInteger(amount, 'amount (minor units)');
  // `-0` would print and compare oddly; there is one zero.
  return Object.freeze({ amount: amount === 0 ? 0 : amount, currency: normalizeCurrency(currency) });
}

export function zero(currency: string): Money {
  return money(0, currency);
}

/** The number of decimal digits of the currency's minor unit (0 for JPY, 2 for USD, 3 for KWD). */
export function minorUnitDigits(currency: string): 0 | 2 | 3 {
  return currencyExponent(normalizeCurrency(currency));
}

/** Display string, e.g. `$19.99`. */
export function formatMoney(value: Money, locale = 'en-US'): string {
  return formatMinorUnits(value.amount, value.currency, locale);
}

export function assertSameCurrency(a: Money, b: Money, operation: string): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency, operation);
}

function checked(result: number, operation: string): number {
  if (!Number.isSafeInteger(result)) throw new AmountOverflowError(`${operation}: result ${result} exceeds the safe integer range`);
  return result;
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b, 'add');
  return money(checked(a.amount + b.amount, 'add'), a.currency);
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b, 'subtract');
  return money(checked(a.amount - b.amount, 'subtract'), a.currency);
}

export function negate(a: Money): Money {
  return money(-a.amount, a.currency);
}

/** Sum of values that must all be in `currency` (the currency is required so an empty sum is typed). */
export function sum(currency: string, values: readonly Money[]): Money {
  let total = zero(currency);
  for (const value of values) total = add(total, value);
  return total;
}

/** -1, 0 or 1. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b, 'compare');
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

export function minMoney(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b;
}

export function maxMoney(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}

/** Validates a purchasable quantity (seats, units): a positive safe integer. */
export function assertQuantity(quantity: number, what = 'quantity'): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new BillingInputError(`${what} must be a positive integer, got ${quantity}`);
}

/** Unit amount × quantity, e.g. a per-seat price for 12 seats. Throws on overflow, never loses precision. */
export function multiplyByQuantity(unit: Money, quantity: number): Money {
  assertQuantity(quantity);
  return money(checked(unit.amount * quantity, `multiply ${unit.amount} by ${quantity}`), unit.currency);
}

/**
 * Divides exactly and rounds half to even: the one rounding step of every ratio in the engine.
 * `numerator` may be negative (rounded on its magnitude); `denominator` must be positive.
 */
export function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new BillingInputError('denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  let rounded = quotient;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) rounded += 1n;
  return negative ? -rounded : rounded;
}

function toSafeNumber(value: bigint, operation: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new AmountOverflowError(`${operation}: result exceeds the safe integer range`);
  }
  return Number(value);
}

/**
 * `amount × numeratorSeconds / denominatorSeconds`, rounded half to even on the magnitude.
 * The fraction must be within [0, 1]: a proration never exceeds the full amount.
 */
export function prorate(amount: Money, numeratorSeconds: number, denominatorSeconds: number): Money {
  assertSafeInteger(numeratorSeconds, 'numeratorSeconds');
  assertSafeInteger(denominatorSeconds, 'denominatorSeconds');
  if (denominatorSeconds <= 0) throw new BillingInputError(`denominatorSeconds must be positive, got ${denominatorSeconds}`);
  if (numeratorSeconds < 0 || numeratorSeconds > denominatorSeconds) {
    throw new BillingInputError(`numeratorSeconds must be within [0, ${denominatorSeconds}], got ${numeratorSeconds}`);
  }
  const exact = BigInt(amount.amount) * BigInt(numeratorSeconds);
  return money(toSafeNumber(divideRoundHalfEven(exact, BigInt(denominatorSeconds)), 'prorate'), amount.currency);
}

/**
 * Splits `total` in proportion to `weights` (non-negative integers, not all zero) by the largest
 * remainder method: each part gets the floor of its exact share, then the leftover minor units go one
 * each to the parts with the largest remainders (ties to the earlier part). The parts sum to `total`
 * exactly. A negative total is split on its magnitude and negated, so splits are sign-symmetric.
 */
export function allocate(total: Money, weights: readonly number[]): Money[] {
  if (weights.length === 0) throw new BillingInputError('allocate needs at least one weight');
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 0) throw new BillingInputError(`weights must be non-negative integers, got ${weight}`);
  }
  const weightSum = weights.reduce((acc, w) => acc + BigInt(w), 0n);
  if (weightSum === 0n) throw new BillingInputError('allocate needs at least one positive weight');
  const sign = total.amount < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(total.amount));
  const parts = weights.map((w) => (magnitude * BigInt(w)) / weightSum);
  const remainders = weights.map((w, index) => ({ index, remainder: (magnitude * BigInt(w)) % weightSum }));
  let leftover = magnitude - parts.reduce((acc, p) => acc + p, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index] += 1n;
    leftover -= 1n;
  }
  return parts.map((part) => money(Number(part * sign), total.currency));
}
