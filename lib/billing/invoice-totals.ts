/**
 * Invoice line items and totals. Pure: given lines, discounts, taxes and the customer's credit
 * balance, it says what the invoice totals, how much credit it uses or creates, and what is due.
 *
 *   subtotal  = Σ lines                     (proration credits make it negative possibly)
 *   total     = max(0, subtotal − Σ discounts + Σ exclusive taxes)   — never negative
 *   creditGenerated = the part below zero, returned to the customer's credit balance
 *   creditApplied   = min(starting credit, total);  amountDue = total − creditApplied
 *   endingCredit    = starting credit − creditApplied + creditGenerated (it carries over)
 *
 * Discount and tax lines are computed by the coupon and tax modules (coupons.ts, tax.ts) and passed
 * in; a discount is at most what the positive lines charge (it never grows a credit).
 */
import { BillingInputError, CurrencyMismatchError } from './errors';
import { add, assertQuantity, money, multiplyByQuantity, normalizeCurrency, subtract, sum, zero, type Money } from './money';
import { assertPeriod, type BillingPeriod } from './periods';
import type { TaxType } from './tax';
import { usageAmount, type UsagePrice } from './usage-pricing';

interface LineBase {
  readonly description: string;
  /** Signed: positive charges the customer, negative credits them. */
  readonly amount: Money;
  readonly quantity: number;
  readonly unitAmount: Money;
  readonly priceId: string | null;
}

/** A full period of a subscription item; seats are its quantity. */
export interface SubscriptionLine extends LineBase {
  readonly kind: 'subscription';
  readonly priceId: string;
  readonly period: BillingPeriod;
}

/** Part of a period: a credit for unused time (negative) or a charge for remaining time (positive). */
export interface ProrationLine extends LineBase {
  readonly kind: 'proration';
  readonly direction: 'credit' | 'charge';
  readonly priceId: string;
  /** The span of time this line covers. */
  readonly period: BillingPeriod;
}

/** A one-time purchase or fee. */
export interface OneTimeLine extends LineBase {
  readonly kind: 'one_time';
}

/**
 * A metered price's usage over a period, billed in arrears: `quantity` is the units used, `amount`
 * what the pricing model charges for them (usage-pricing.ts), `unitAmount` the price's unit or
 * package amount (0 for tiered prices, whose rate varies).
 */
export interface UsageLine extends LineBase {
  readonly kind: 'usage';
  readonly priceId: string;
  readonly period: BillingPeriod;
}

export type InvoiceLine = SubscriptionLine | ProrationLine | OneTimeLine | UsageLine;
export type InvoiceLineKind = InvoiceLine['kind'];

/** Filled by the coupon module: a reduction (a positive amount that is subtracted). */
export interface DiscountLine {
  readonly kind: 'discount';
  readonly couponId: string;
  readonly description: string;
  readonly amount: Money;
}

/** Filled by the tax module (tax.ts): an inclusive tax is already inside the line amounts and only reported. */
export interface TaxLine {
  readonly kind: 'tax';
  /** The `tax_rates` row applied, or `REVERSE_CHARGE_TAX_RATE_ID` for a reverse-charge line. */
  readonly taxRateId: string;
  /** Printed on the invoice: "VAT 19% (Germany)", "Sales tax 7.25% (California)". */
  readonly description: string;
  /** ≥ 0, rounded to the minor unit. */
  readonly amount: Money;
  readonly inclusive: boolean;
  readonly type: TaxType;
  /** Where the tax is due: "Germany", "California", "Ontario". */
  readonly jurisdiction: string;
  /** Percent as a decimal string: "19", "7.25"; "0" for a reverse charge. */
  readonly percentage: string;
  /** The net amount the tax is on: the discounted lines, less the tax itself when prices include it. */
  readonly taxableAmount: Money;
}

export interface InvoiceInput {
  readonly currency: string;
  readonly lines: readonly InvoiceLine[];
  readonly discounts?: readonly DiscountLine[];
  readonly taxes?: readonly TaxLine[];
  /** Credit the customer holds before this invoice (≥ 0), in the invoice currency. */
  readonly startingCredit?: Money;
  /** Already paid against this invoice (≥ 0, ≤ amount due). */
  readonly amountPaid?: Money;
}

export interface InvoiceTotals {
  readonly currency: string;
  readonly subtotal: Money;
  readonly discountTotal: Money;
  readonly taxTotal: Money;
  readonly exclusiveTaxTotal: Money;
  /** Never negative. */
  readonly total: Money;
  readonly startingCredit: Money;
  readonly creditApplied: Money;
  /** Credits beyond this invoice's charges, added to the customer's balance. */
  readonly creditGenerated: Money;
  readonly endingCredit: Money;
  readonly amountDue: Money;
  readonly amountPaid: Money;
  readonly amountRemaining: Money;
}

function assertCurrency(value: Money, currency: string, what: string): void {
  if (value.currency !== currency) throw new CurrencyMismatchError(currency, value.currency, what);
}

function assertNonNegative(value: Money, what: string): void {
  money(value.amount, value.currency);
  if (value.amount < 0) throw new BillingInputError(`${what} must not be negative, got ${value.amount}`);
}

/** A full period of a subscription item: unitAmount × quantity. */
export function subscriptionLine(input: { priceId: string; description: string; unitAmount: Money; quantity: number; period: BillingPeriod }): SubscriptionLine {
  assertPeriod(input.period);
  assertNonNegative(input.unitAmount, 'unitAmount');
  return { kind: 'subscription', ...input, amount: multiplyByQuantity(input.unitAmount, input.quantity) };
}

/** A subscription line whose amount is not unit × quantity (a flat price): the amount is given. */
export function flatSubscriptionLine(input: { priceId: string; description: string; amount: Money; quantity: number; period: BillingPeriod }): SubscriptionLine {
  assertPeriod(input.period);
  assertNonNegative(input.amount, 'amount');
  assertQuantity(input.quantity);
  return { kind: 'subscription', ...input, unitAmount: input.amount };
}

/** The usage line of a metered price for `quantity` units used over `period`. */
export function usageLine(input: { priceId: string; description: string; price: UsagePrice; quantity: number; period: BillingPeriod }): UsageLine {
  assertPeriod(input.period);
  const amount = usageAmount(input.price, input.quantity);
  const unit = input.price.model === 'per_unit' || input.price.model === 'package' ? input.price.unitAmount : 0;
  return { kind: 'usage', priceId: input.priceId, description: input.description, quantity: input.quantity, unitAmount: money(unit, amount.currency), amount, period: input.period };
}

export function oneTimeLine(input: { priceId?: string | null; description: string; unitAmount: Money; quantity: number }): OneTimeLine {
  assertNonNegative(input.unitAmount, 'unitAmount');
  return { kind: 'one_time', description: input.description, priceId: input.priceId ?? null, unitAmount: input.unitAmount, quantity: input.quantity, amount: multiplyByQuantity(input.unitAmount, input.quantity) };
}

function assertLine(line: InvoiceLine, currency: string, index: number): void {
  const what = `line ${index} (${line.kind})`;
  assertCurrency(line.amount, currency, what);
  assertCurrency(line.unitAmount, currency, what);
  money(line.amount.amount, line.amount.currency);
  assertQuantity(line.quantity, `${what} quantity`);
  if (line.kind === 'proration') {
    const signOk = line.direction === 'credit' ? line.amount.amount <= 0 : line.amount.amount >= 0;
    if (!signOk) throw new BillingInputError(`${what}: a proration ${line.direction} has the wrong sign (${line.amount.amount})`);
  } else if (line.amount.amount < 0) {
    throw new BillingInputError(`${what}: amount must not be negative; credits are proration lines or discounts`);
  }
  if (line.kind !== 'one_time') assertPeriod(line.period);
}

/** Totals of an invoice. Throws `BillingInputError` (or `CurrencyMismatchError`) on inconsistent input. */
export function computeInvoiceTotals(input: InvoiceInput): InvoiceTotals {
  const currency = normalizeCurrency(input.currency);
  const discounts = input.discounts ?? [];
  const taxes = input.taxes ?? [];
  input.lines.forEach((line, i) => assertLine(line, currency, i));
  discounts.forEach((d, i) => {
    assertCurrency(d.amount, currency, `discount ${i}`);
    assertNonNegative(d.amount, `discount ${i}`);
  });
  taxes.forEach((t, i) => {
    assertCurrency(t.amount, currency, `tax ${i}`);
    assertNonNegative(t.amount, `tax ${i}`);
  });
  const startingCredit = input.startingCredit ?? zero(currency);
  assertCurrency(startingCredit, currency, 'starting credit');
  assertNonNegative(startingCredit, 'starting credit');

  const subtotal = sum(currency, input.lines.map((l) => l.amount));
  const discountTotal = sum(currency, discounts.map((d) => d.amount));
  // A discount reduces charges, never a credit: at most what the positive lines charge.
  const charged = sum(currency, input.lines.filter((l) => l.amount.amount > 0).map((l) => l.amount));
  if (discountTotal.amount > charged.amount) {
    throw new BillingInputError(`discounts (${discountTotal.amount}) exceed the charges they reduce (${charged.amount})`);
  }
  const taxTotal = sum(currency, taxes.map((t) => t.amount));
  const exclusiveTaxTotal = sum(currency, taxes.filter((t) => !t.inclusive).map((t) => t.amount));

  const beforeCredit = add(subtract(subtotal, discountTotal), exclusiveTaxTotal);
  const total = beforeCredit.amount > 0 ? beforeCredit : zero(currency);
  const creditGenerated = beforeCredit.amount < 0 ? money(-beforeCredit.amount, currency) : zero(currency);
  const creditApplied = money(Math.min(startingCredit.amount, total.amount), currency);
  const amountDue = subtract(total, creditApplied);
  const endingCredit = add(subtract(startingCredit, creditApplied), creditGenerated);

  const amountPaid = input.amountPaid ?? zero(currency);
  assertCurrency(amountPaid, currency, 'amount paid');
  assertNonNegative(amountPaid, 'amount paid');
  if (amountPaid.amount > amountDue.amount) throw new BillingInputError(`amount paid (${amountPaid.amount}) exceeds the amount due (${amountDue.amount})`);

  return {
    currency,
    subtotal,
    discountTotal,
    taxTotal,
    exclusiveTaxTotal,
    total,
    startingCredit,
    creditApplied,
    creditGenerated,
    endingCredit,
    amountDue,
    amountPaid,
    amountRemaining: subtract(amountDue, amountPaid),
  };
}
