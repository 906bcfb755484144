/**
 * Coupons: the rules of a stored coupon, whether a customer may redeem it now, which invoices of a
 * subscription it discounts, and the discount line it puts on an invoice. Pure: no IO, the clock is
 * a parameter (`now`).
 *
 *   percent   round(base × percentOff / 100), half to even to the minor unit, in BigInt
 *   fixed     min(amountsOff[currency], base): never more than what it covers, and nothing carries over
 *   base      Σ the (signed) lines the coupon covers, floored at 0, so proration credits can cancel it
 *
 * Half to even, like proration: a discount is computed on every invoice a coupon covers, and half-up
 * would round every exact tie against the merchant.
 */
import { BillingInputError, CurrencyMismatchError } from './errors';
import { divideRoundHalfEven, formatMoney, money, normalizeCurrency, sum, type Money } from './money';
import type { DiscountLine, InvoiceLine } from './invoice-totals';
import { assertInstant, formatUtcDate, type EpochMs } from './periods';

export type CouponDuration = 'once' | 'repeating' | 'forever';
export const COUPON_DURATIONS: readonly CouponDuration[] = ['once', 'repeating', 'forever'];

export type CouponDiscount =
  /** Percent as a decimal string: "20", "12.5"; above 0, at most 100, at most 2 decimals. */
  | { readonly kind: 'percent'; readonly percentOff: string }
  /** Minor units off per upper-case ISO currency: `{ EUR: 1000, USD: 1000 }`. */
  | { readonly kind: 'fixed'; readonly amountsOff: Readonly<Record<string, number>> };

/** A coupon as stored. */
export interface CouponDefinition {
  readonly id: string;
  /** What the customer types, stored normalized (upper case); matched case-insensitively. */
  readonly code: string;
  /** Printed on the invoice's discount line. */
  readonly name: string;
  readonly discount: CouponDiscount;
  readonly duration: CouponDuration;
  /** Number of invoices a `repeating` coupon discounts; null for `once` and `forever`. */
  readonly durationInPeriods: number | null;
  /** It can no longer be redeemed at or after this instant; null = no expiry. */
  readonly redeemBy: EpochMs | null;
  /** Redemptions allowed across all customers; null = unlimited. */
  readonly maxRedemptions: number | null;
  readonly maxRedemptionsPerCustomer: number | null;
  /** null = every plan; otherwise only these products' lines are discounted. */
  readonly productIds: readonly string[] | null;
  /** Only for customers who have never paid before. */
  readonly firstTimeOnly: boolean;
}

export type RedeemableCoupon = CouponDefinition & { readonly active: boolean };

export interface RedemptionContext {
  readonly now: EpochMs;
  /** The currency of the checkout or subscription. */
  readonly currency: string;
  readonly productId: string;
  /** Used in the refusal message: "This code is not valid for the Pro plan." */
  readonly productName?: string;
  /** Redemptions so far, all customers. */
  readonly redemptions: number;
  /** Redemptions so far by this customer. */
  readonly customerRedemptions: number;
  readonly customerHasPaidBefore: boolean;
}

export type RedemptionRefusal = 'expired' | 'limit_reached' | 'customer_limit_reached' | 'not_for_plan' | 'first_time_only' | 'currency_not_supported' | 'inactive';

export type RedemptionCheck = { readonly ok: true } | { readonly ok: false; readonly reason: RedemptionRefusal; readonly message: string };

/** An invoice line as the coupon sees it: its signed amount and the product it bills (null for none). */
export interface DiscountableLine {
  readonly amount: Money;
  readonly productId: string | null;
}

// ---------------------------------------------------------------- codes and percentages

const TYPED_CODE = /^[A-Za-z0-9_-]{3,40}$/;
const STORED_CODE = /^[A-Z0-9_-]{3,40}$/;
const CURRENCY_KEY = /^[A-Z]{3}$/;
const PERCENT_OFF = /^(0|[1-9]\d{0,2})(?:\.(\d{1,2}))?$/;
/** percentOff is held as hundredths of a percent: "12.5" -> 1250n. */
const PERCENT_SCALE = 100n;
const HUNDRED_PERCENT = 100n * PERCENT_SCALE;

/** What the customer typed -> the stored form: trimmed, upper case; 3 to 40 of A-Z 0-9 - _. */
export function normalizeCouponCode(input: string): string {
  const trimmed = typeof input === 'string' ? input.trim() : '';
  // The charset is checked before upper-casing: 'ß'.toUpperCase() is 'SS' and 'ı' becomes 'I',
  // which would let a different string match a stored code.
  if (!TYPED_CODE.test(trimmed)) {
    throw new BillingInputError(`coupon code "${String(input)}" must be 3 to 40 characters of letters A-Z, digits, "-" or "_"`);
  }
  return trimmed.toUpperCase();
}

/** "12.5" -> 1250n (hundredths of a percent); throws naming `discount.percentOff`. */
function parsePercentOff(value: string): bigint {
  const match = typeof value === 'string' ? PERCENT_OFF.exec(value) : null;
  if (!match) throw new BillingInputError(`discount.percentOff "${String(value)}" must be a decimal string with at most 2 decimals, like "20" or "12.5"`);
  const scaled = BigInt(match[1]) * PERCENT_SCALE + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (scaled <= 0n || scaled > HUNDRED_PERCENT) throw new BillingInputError(`discount.percentOff "${value}" must be above 0 and at most 100`);
  return scaled;
}

function passes(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** Whether a typed percentage is one a coupon can take off: above 0, at most 100, at most 2 decimals. */
export const isValidPercentOff = (value: string): boolean => passes(() => parsePercentOff(value));

/** Whether a typed code is one a coupon can have (see normalizeCouponCode). */
export const isValidCouponCode = (input: string): boolean => passes(() => normalizeCouponCode(input));

/** 1250n -> "12.5": the canonical form printed on invoices, whatever trailing zeros were stored. */
function formatPercentOff(scaled: bigint): string {
  const whole = scaled / PERCENT_SCALE;
  const fraction = (scaled % PERCENT_SCALE).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

// ---------------------------------------------------------------- definition

const isWholeAtLeastOne = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
const isNonEmptyString = (s: unknown): s is string => typeof s === 'string' && s.trim() !== '';

function assertDuration(duration: CouponDuration, durationInPeriods: number | null, what: string): void {
  if (!COUPON_DURATIONS.includes(duration)) throw new BillingInputError(`${what}duration must be one of ${COUPON_DURATIONS.join(', ')}, got "${String(duration)}"`);
  if (duration === 'repeating') {
    if (!isWholeAtLeastOne(durationInPeriods)) throw new BillingInputError(`${what}durationInPeriods must be a whole number of at least 1 for a repeating coupon, got ${durationInPeriods}`);
  } else if (durationInPeriods !== null) {
    throw new BillingInputError(`${what}durationInPeriods must be null for a ${duration} coupon, got ${durationInPeriods}`);
  }
}

function assertDiscount(discount: CouponDiscount, what: string): void {
  if (discount === null || typeof discount !== 'object') throw new BillingInputError(`${what}discount must be an object`);
  if (discount.kind === 'percent') {
    parsePercentOff(discount.percentOff);
    return;
  }
  if (discount.kind !== 'fixed') throw new BillingInputError(`${what}discount.kind must be "percent" or "fixed", got "${String((discount as { kind: unknown }).kind)}"`);
  const amountsOff: unknown = discount.amountsOff;
  if (amountsOff === null || typeof amountsOff !== 'object' || Array.isArray(amountsOff)) throw new BillingInputError(`${what}discount.amountsOff must be an object of currency -> minor units`);
  const entries = Object.entries(amountsOff);
  if (entries.length === 0) throw new BillingInputError(`${what}discount.amountsOff needs at least one currency`);
  for (const [currency, amount] of entries) {
    if (!CURRENCY_KEY.test(currency)) throw new BillingInputError(`${what}discount.amountsOff key "${currency}" must be an upper-case ISO 4217 currency code`);
    if (!isWholeAtLeastOne(amount)) throw new BillingInputError(`${what}discount.amountsOff.${currency} must be a positive whole number of minor units, got ${amount}`);
  }
}

/** Throws `BillingInputError` naming the field of the first bad value. */
export function assertCouponDefinition(def: CouponDefinition): void {
  if (def === null || typeof def !== 'object') throw new BillingInputError('a coupon definition must be an object');
  if (!isNonEmptyString(def.id)) throw new BillingInputError('coupon id must be a non-empty string');
  const what = `coupon ${def.id}: `;
  if (typeof def.code !== 'string' || !STORED_CODE.test(def.code)) {
    throw new BillingInputError(`${what}code "${String(def.code)}" must be stored normalized: 3 to 40 characters of A-Z, 0-9, "-" or "_", upper case`);
  }
  if (!isNonEmptyString(def.name)) throw new BillingInputError(`${what}name must be a non-empty string (it is printed on invoices)`);
  assertDiscount(def.discount, what);
  assertDuration(def.duration, def.durationInPeriods, what);
  if (def.redeemBy !== null) assertInstant(def.redeemBy, `${what}redeemBy`);
  if (def.maxRedemptions !== null && !isWholeAtLeastOne(def.maxRedemptions)) {
    throw new BillingInputError(`${what}maxRedemptions must be a whole number of at least 1 or null, got ${def.maxRedemptions}`);
  }
  if (def.maxRedemptionsPerCustomer !== null && !isWholeAtLeastOne(def.maxRedemptionsPerCustomer)) {
    throw new BillingInputError(`${what}maxRedemptionsPerCustomer must be a whole number of at least 1 or null, got ${def.maxRedemptionsPerCustomer}`);
  }
  if (def.productIds !== null) {
    // An empty list would be a coupon that discounts nothing; "every plan" is null.
    if (!Array.isArray(def.productIds) || def.productIds.length === 0) throw new BillingInputError(`${what}productIds must be a non-empty list of product ids, or null for every plan`);
    def.productIds.forEach((productId, i) => {
      if (!isNonEmptyString(productId)) throw new BillingInputError(`${what}productIds[${i}] must be a non-empty string`);
    });
  }
  if (typeof def.firstTimeOnly !== 'boolean') throw new BillingInputError(`${what}firstTimeOnly must be a boolean, got ${String(def.firstTimeOnly)}`);
}

// ---------------------------------------------------------------- redemption

const hasAmountOff = (discount: CouponDiscount, currency: string) => discount.kind === 'percent' || Object.hasOwn(discount.amountsOff, currency);

function refuse(reason: RedemptionRefusal, message: string): RedemptionCheck {
  return { ok: false, reason, message };
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new BillingInputError(`${what} must be a non-negative whole number, got ${n}`);
}

/**
 * May this customer redeem the coupon now, for this product in this currency? A refusal carries a
 * message to show the customer. Checked in a fixed order, so the customer hears the most basic reason:
 * inactive, expired, total limit, customer limit, plan, first-time, currency.
 */
export function checkRedemption(coupon: RedeemableCoupon, ctx: RedemptionContext): RedemptionCheck {
  assertCouponDefinition(coupon);
  if (typeof coupon.active !== 'boolean') throw new BillingInputError(`coupon ${coupon.id}: active must be a boolean`);
  assertInstant(ctx.now, 'now');
  const currency = normalizeCurrency(ctx.currency);
  if (!isNonEmptyString(ctx.productId)) throw new BillingInputError('productId must be a non-empty string');
  assertCount(ctx.redemptions, 'redemptions');
  assertCount(ctx.customerRedemptions, 'customerRedemptions');
  if (ctx.customerRedemptions > ctx.redemptions) throw new BillingInputError(`customerRedemptions (${ctx.customerRedemptions}) cannot exceed redemptions (${ctx.redemptions})`);
  if (typeof ctx.customerHasPaidBefore !== 'boolean') throw new BillingInputError('customerHasPaidBefore must be a boolean');

  if (!coupon.active) return refuse('inactive', 'This code is no longer active.');
  if (coupon.redeemBy !== null && ctx.now >= coupon.redeemBy) return refuse('expired', `This code expired on ${formatUtcDate(coupon.redeemBy)}.`);
  if (coupon.maxRedemptions !== null && ctx.redemptions >= coupon.maxRedemptions) return refuse('limit_reached', 'This code has reached its redemption limit.');
  if (coupon.maxRedemptionsPerCustomer !== null && ctx.customerRedemptions >= coupon.maxRedemptionsPerCustomer) {
    const limit = coupon.maxRedemptionsPerCustomer;
    return refuse('customer_limit_reached', limit === 1 ? 'You have already used this code.' : `You have already used this code ${limit} times, the most allowed.`);
  }
  if (coupon.productIds !== null && !coupon.productIds.includes(ctx.productId)) {
    const productName = ctx.productName?.trim();
    return refuse('not_for_plan', productName ? `This code is not valid for the ${productName} plan.` : 'This code is not valid for this plan.');
  }
  if (coupon.firstTimeOnly && ctx.customerHasPaidBefore) return refuse('first_time_only', 'This code is for first-time customers only.');
  if (!hasAmountOff(coupon.discount, currency)) return refuse('currency_not_supported', `This code cannot be used in ${currency}.`);
  return { ok: true };
}

// ---------------------------------------------------------------- duration

/** How many invoices a coupon discounts: once 1, repeating N, forever null (every one). */
export function invoicesCovered(coupon: Pick<CouponDefinition, 'duration' | 'durationInPeriods'>): number | null {
  assertDuration(coupon.duration, coupon.durationInPeriods, '');
  switch (coupon.duration) {
    case 'once':
      return 1;
    case 'repeating':
      return coupon.durationInPeriods as number;
    case 'forever':
      return null;
  }
}

/**
 * Does the discount apply to the invoice at `periodIndex`, counted from the first invoice the coupon
 * discounts (0, the checkout's)? once: 0 only; repeating N: 0 to N-1; forever: every one.
 */
export function discountAppliesToPeriod(coupon: Pick<CouponDefinition, 'duration' | 'durationInPeriods'>, periodIndex: number): boolean {
  const covered = invoicesCovered(coupon);
  if (!Number.isSafeInteger(periodIndex) || periodIndex < 0) throw new BillingInputError(`periodIndex must be a non-negative whole number, got ${periodIndex}`);
  return covered === null || periodIndex < covered;
}

// ---------------------------------------------------------------- discount line

/**
 * The discount line of an invoice with these lines in `currency`, or null when the coupon takes
 * nothing off (nothing covered, or the covered lines net to zero or less).
 * A fixed coupon without an amount in `currency` throws: `checkRedemption` refuses it first.
 */
export function discountFor(coupon: CouponDefinition, lines: ReadonlyArray<DiscountableLine>, currency: string): DiscountLine | null {
  assertCouponDefinition(coupon);
  const invoiceCurrency = normalizeCurrency(currency);
  lines.forEach((line, i) => {
    money(line.amount.amount, line.amount.currency);
    if (line.amount.currency !== invoiceCurrency) throw new CurrencyMismatchError(invoiceCurrency, line.amount.currency, `coupon ${coupon.id}, line ${i}`);
    if (line.productId !== null && typeof line.productId !== 'string') throw new BillingInputError(`line ${i}: productId must be a string or null`);
  });

  const covered = coupon.productIds === null ? lines : lines.filter((line) => line.productId !== null && coupon.productIds!.includes(line.productId));
  const base = sum(invoiceCurrency, covered.map((line) => line.amount)).amount;
  if (base <= 0) return null;

  let amountOff: number;
  if (coupon.discount.kind === 'percent') {
    // ≤ base because percent ≤ 100 %, so the result is a safe integer.
    amountOff = Number(divideRoundHalfEven(BigInt(base) * parsePercentOff(coupon.discount.percentOff), HUNDRED_PERCENT));
  } else {
    if (!Object.hasOwn(coupon.discount.amountsOff, invoiceCurrency)) throw new BillingInputError(`coupon ${coupon.id} has no amount off in ${invoiceCurrency}`);
    amountOff = Math.min(coupon.discount.amountsOff[invoiceCurrency], base);
  }
  if (amountOff === 0) return null;
  // The coupon's terms, even when a fixed amount is capped at a smaller base.
  return { kind: 'discount', couponId: coupon.id, description: `${coupon.name} (${amountOffText(coupon.discount, invoiceCurrency)} off)`, amount: money(amountOff, invoiceCurrency) };
}

/**
 * What a coupon takes off, in words: "12.5%", "$10.00"; without a currency, every amount of a fixed
 * coupon ("$10.00 or €9.00"). Null for a fixed coupon without an amount in `currency`.
 */
export function amountOffText(discount: CouponDiscount, currency?: string): string | null {
  if (discount.kind === 'percent') return `${formatPercentOff(parsePercentOff(discount.percentOff))}%`;
  const amounts = Object.entries(discount.amountsOff).filter(([code]) => currency === undefined || code === currency);
  return amounts.length === 0 ? null : amounts.map(([code, amount]) => formatMoney(money(amount, code))).join(' or ');
}

/**
 * The discount line of an invoice's lines: `productOf` maps a line's price to its product (for a coupon
 * limited to some plans). A coupon discounts what is charged, never a proration credit for unused time:
 * that credit gives back what the period cost.
 */
export function invoiceDiscount(coupon: CouponDefinition, lines: readonly InvoiceLine[], productOf: ReadonlyMap<string, string>, currency: string): DiscountLine | null {
  const charges = lines.filter((line) => line.kind !== 'proration' || line.direction === 'charge');
  return discountFor(coupon, charges.map((line) => ({ amount: line.amount, productId: line.priceId ? (productOf.get(line.priceId) ?? null) : null })), currency);
}
