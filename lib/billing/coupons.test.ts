import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountOffText,
  assertCouponDefinition,
  checkRedemption,
  discountAppliesToPeriod,
  discountFor,
  invoiceDiscount,
  normalizeCouponCode,
  type CouponDefinition,
  type DiscountableLine,
  type RedeemableCoupon,
  type RedemptionContext,
} from './coupons';
import { BillingInputError, CurrencyMismatchError } from './errors';
import { computeInvoiceTotals, subscriptionLine } from './invoice-totals';
import { formatMoney, money } from './money';
import { testCoupon } from '@/test/coupons';

const percentCoupon = (percentOff: string, overrides: Partial<CouponDefinition> = {}): CouponDefinition =>
  testCoupon({ id: 'coupon_spring', code: 'SPRING20', name: 'SPRING20', discount: { kind: 'percent', percentOff }, ...overrides });
const fixedCoupon = (amountsOff: Record<string, number>, overrides: Partial<CouponDefinition> = {}): CouponDefinition => ({
  ...percentCoupon('1'),
  id: 'coupon_welcome',
  code: 'WELCOME',
  name: 'WELCOME',
  discount: { kind: 'fixed', amountsOff },
  ...overrides,
});
const line = (amount: number, currency: string, productId: string | null = 'prod_pro'): DiscountableLine => ({ amount: money(amount, currency), productId });
/** The discount in minor units, 0 when the coupon takes nothing off (discountFor returns null). */
const off = (coupon: CouponDefinition, lines: DiscountableLine[], currency: string) => discountFor(coupon, lines, currency)?.amount.amount ?? 0;

describe('coupon codes', () => {
  it.each([
    [' spring20 ', 'SPRING20'],
    ['Spring-20_x', 'SPRING-20_X'],
    ['abc', 'ABC'],
    ['a'.repeat(40), 'A'.repeat(40)],
  ])('%j is stored as %j', (typed, stored) => expect(normalizeCouponCode(typed)).toBe(stored));

  it.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(41)],
    ['empty', '   '],
    ['an inner space', 'SPRING 20'],
    ['punctuation', 'SPRING20!'],
    // Upper-casing these would turn them into ASCII (SS, I) and match a different stored code.
    ['a sharp s', 'straße'],
    ['a dotless i', 'ıabc'],
    ['an emoji', 'SALE🎉'],
  ])('%s is refused', (_label, typed) => {
    expect(() => normalizeCouponCode(typed)).toThrow(BillingInputError);
  });

  it('a non-string is refused', () => {
    expect(() => normalizeCouponCode(42 as unknown as string)).toThrow(BillingInputError);
  });
});

describe('coupon definitions', () => {
  it('accepts valid percent and fixed coupons of every duration', () => {
    expect(() => assertCouponDefinition(percentCoupon('12.5'))).not.toThrow();
    expect(() => assertCouponDefinition(percentCoupon('100', { duration: 'forever' }))).not.toThrow();
    expect(() => assertCouponDefinition(percentCoupon('0.01', { duration: 'repeating', durationInPeriods: 3 }))).not.toThrow();
    const restricted = fixedCoupon({ EUR: 1000, USD: 1100 }, { redeemBy: Date.UTC(2026, 2, 1), maxRedemptions: 100, maxRedemptionsPerCustomer: 1, productIds: ['prod_pro'], firstTimeOnly: true });
    expect(() => assertCouponDefinition(restricted)).not.toThrow();
  });

  const bad = (overrides: Record<string, unknown>) => ({ ...percentCoupon('20'), ...overrides }) as CouponDefinition;
  it.each([
    ['an empty id', bad({ id: '' }), /id/],
    ['a lower-case code', bad({ code: 'spring20' }), /code/],
    ['a code with spaces', bad({ code: ' SPRING20' }), /code/],
    ['a short code', bad({ code: 'AB' }), /code/],
    ['an empty name', bad({ name: '  ' }), /name/],
    ['percentOff 0', percentCoupon('0'), /percentOff/],
    ['percentOff above 100', percentCoupon('100.01'), /percentOff/],
    ['percentOff with 3 decimals', percentCoupon('12.345'), /percentOff/],
    ['percentOff negative', percentCoupon('-5'), /percentOff/],
    ['percentOff as a number', bad({ discount: { kind: 'percent', percentOff: 20 } }), /percentOff/],
    ['percentOff with a leading zero', percentCoupon('020'), /percentOff/],
    ['an unknown discount kind', bad({ discount: { kind: 'bogo' } }), /discount\.kind/],
    ['no currencies', fixedCoupon({}), /amountsOff/],
    ['a lower-case currency', fixedCoupon({ eur: 1000 }), /amountsOff key "eur"/],
    ['a zero amount off', fixedCoupon({ EUR: 0 }), /amountsOff\.EUR/],
    ['a fractional amount off', fixedCoupon({ EUR: 9.99 }), /amountsOff\.EUR/],
    ['an unsafe amount off', fixedCoupon({ EUR: 2 ** 53 }), /amountsOff\.EUR/],
    ['an unknown duration', bad({ duration: 'monthly' }), /duration/],
    ['repeating without a count', bad({ duration: 'repeating', durationInPeriods: null }), /durationInPeriods/],
    ['repeating for 0 periods', bad({ duration: 'repeating', durationInPeriods: 0 }), /durationInPeriods/],
    ['repeating for 1.5 periods', bad({ duration: 'repeating', durationInPeriods: 1.5 }), /durationInPeriods/],
    ['once with a count', bad({ duration: 'once', durationInPeriods: 1 }), /durationInPeriods/],
    ['forever with a count', bad({ duration: 'forever', durationInPeriods: 12 }), /durationInPeriods/],
    ['a fractional redeemBy', bad({ redeemBy: 1.5 }), /redeemBy/],
    ['a negative redeemBy', bad({ redeemBy: -1 }), /redeemBy/],
    ['maxRedemptions 0', bad({ maxRedemptions: 0 }), /maxRedemptions /],
    ['maxRedemptionsPerCustomer 0', bad({ maxRedemptionsPerCustomer: 0 }), /maxRedemptionsPerCustomer/],
    ['maxRedemptionsPerCustomer 2.5', bad({ maxRedemptionsPerCustomer: 2.5 }), /maxRedemptionsPerCustomer/],
    ['an empty product list', bad({ productIds: [] }), /productIds/],
    ['an empty product id', bad({ productIds: ['prod_pro', ''] }), /productIds\[1\]/],
    ['firstTimeOnly missing', bad({ firstTimeOnly: undefined }), /firstTimeOnly/],
  ])('%s is refused, naming the field', (_label, def, field) => {
    expect(() => assertCouponDefinition(def)).toThrow(BillingInputError);
    expect(() => assertCouponDefinition(def)).toThrow(field);
  });
});

describe('which invoices a coupon discounts', () => {
  it.each([
    [0, true],
    [1, false],
    [2, false],
  ])('once: invoice %i -> %s', (index, applies) => expect(discountAppliesToPeriod({ duration: 'once', durationInPeriods: null }, index)).toBe(applies));

  it.each([
    [0, true],
    [2, true],
    [3, false],
    [4, false],
  ])('repeating 3: invoice %i -> %s', (index, applies) => expect(discountAppliesToPeriod({ duration: 'repeating', durationInPeriods: 3 }, index)).toBe(applies));

  it.each([0, 1, 1000])('forever: invoice %i -> true', (index) => expect(discountAppliesToPeriod({ duration: 'forever', durationInPeriods: null }, index)).toBe(true));

  it.each([-1, 1.5, Number.NaN, Infinity])('period index %s is refused', (index) => {
    expect(() => discountAppliesToPeriod({ duration: 'forever', durationInPeriods: null }, index)).toThrow(BillingInputError);
  });

  it('an inconsistent duration is refused', () => {
    expect(() => discountAppliesToPeriod({ duration: 'repeating', durationInPeriods: null }, 0)).toThrow(/durationInPeriods/);
  });
});

describe('redemption', () => {
  const redeemBy = Date.UTC(2026, 2, 1, 12, 0, 0);
  const active = (def: CouponDefinition, isActive = true): RedeemableCoupon => ({ ...def, active: isActive });
  const ctx = (overrides: Partial<RedemptionContext> = {}): RedemptionContext => ({
    now: Date.UTC(2026, 0, 15),
    currency: 'EUR',
    productId: 'prod_pro',
    productName: 'Pro',
    redemptions: 0,
    customerRedemptions: 0,
    customerHasPaidBefore: false,
    ...overrides,
  });
  const reason = (coupon: RedeemableCoupon, context: RedemptionContext) => {
    const result = checkRedemption(coupon, context);
    return result.ok ? 'ok' : result.reason;
  };

  it('an unrestricted active coupon is accepted', () => {
    expect(checkRedemption(active(percentCoupon('20')), ctx())).toEqual({ ok: true });
  });

  it.each([
    ['inactive', active(percentCoupon('20'), false), ctx(), 'This code is no longer active.'],
    ['expired', active(percentCoupon('20', { redeemBy })), ctx({ now: redeemBy }), 'This code expired on 2026-03-01.'],
    ['limit_reached', active(percentCoupon('20', { maxRedemptions: 100 })), ctx({ redemptions: 100 }), 'This code has reached its redemption limit.'],
    ['customer_limit_reached', active(percentCoupon('20', { maxRedemptionsPerCustomer: 1 })), ctx({ redemptions: 5, customerRedemptions: 1 }), 'You have already used this code.'],
    ['customer_limit_reached', active(percentCoupon('20', { maxRedemptionsPerCustomer: 3 })), ctx({ redemptions: 5, customerRedemptions: 3 }), 'You have already used this code 3 times, the most allowed.'],
    ['not_for_plan', active(percentCoupon('20', { productIds: ['prod_team'] })), ctx(), 'This code is not valid for the Pro plan.'],
    ['not_for_plan', active(percentCoupon('20', { productIds: ['prod_team'] })), ctx({ productName: undefined }), 'This code is not valid for this plan.'],
    ['first_time_only', active(percentCoupon('20', { firstTimeOnly: true })), ctx({ customerHasPaidBefore: true }), 'This code is for first-time customers only.'],
    ['currency_not_supported', active(fixedCoupon({ USD: 1000 })), ctx(), 'This code cannot be used in EUR.'],
  ])('%s: %j', (expectedReason, coupon, context, message) => {
    expect(checkRedemption(coupon, context)).toEqual({ ok: false, reason: expectedReason, message });
  });

  it('expires exactly at redeemBy, not 1 ms before', () => {
    const coupon = active(percentCoupon('20', { redeemBy }));
    expect(reason(coupon, ctx({ now: redeemBy - 1 }))).toBe('ok');
    expect(reason(coupon, ctx({ now: redeemBy }))).toBe('expired');
    expect(reason(coupon, ctx({ now: redeemBy + 1 }))).toBe('expired');
  });

  it('limits: the last allowed redemption is accepted, the next refused', () => {
    const total = active(percentCoupon('20', { maxRedemptions: 100 }));
    expect(reason(total, ctx({ redemptions: 99 }))).toBe('ok');
    expect(reason(total, ctx({ redemptions: 100 }))).toBe('limit_reached');
    const perCustomer = active(percentCoupon('20', { maxRedemptionsPerCustomer: 2 }));
    expect(reason(perCustomer, ctx({ redemptions: 40, customerRedemptions: 1 }))).toBe('ok');
    expect(reason(perCustomer, ctx({ redemptions: 40, customerRedemptions: 2 }))).toBe('customer_limit_reached');
  });

  it('accepts a covered plan, a first-time customer and a supported currency (any case)', () => {
    const coupon = active(fixedCoupon({ EUR: 1000 }, { productIds: ['prod_team', 'prod_pro'], firstTimeOnly: true }));
    expect(reason(coupon, ctx({ currency: 'eur' }))).toBe('ok');
    expect(reason(active(percentCoupon('20', { firstTimeOnly: false })), ctx({ customerHasPaidBefore: true }))).toBe('ok');
  });

  it('refuses in order: inactive, expired, limit, customer limit, plan, first-time, currency', () => {
    const everything: CouponDefinition = fixedCoupon(
      { USD: 1000 },
      { redeemBy, maxRedemptions: 10, maxRedemptionsPerCustomer: 1, productIds: ['prod_team'], firstTimeOnly: true },
    );
    const failing = ctx({ now: redeemBy, redemptions: 10, customerRedemptions: 1, customerHasPaidBefore: true });
    const steps: Array<[RedeemableCoupon, RedemptionContext, string]> = [
      [active(everything, false), failing, 'inactive'],
      [active(everything), failing, 'expired'],
      [active(everything), { ...failing, now: redeemBy - 1 }, 'limit_reached'],
      [active(everything), { ...failing, now: redeemBy - 1, redemptions: 9 }, 'customer_limit_reached'],
      [active(everything), { ...failing, now: redeemBy - 1, redemptions: 9, customerRedemptions: 0 }, 'not_for_plan'],
      [active(everything), { ...failing, now: redeemBy - 1, redemptions: 9, customerRedemptions: 0, productId: 'prod_team' }, 'first_time_only'],
      [active(everything), { ...failing, now: redeemBy - 1, redemptions: 9, customerRedemptions: 0, productId: 'prod_team', customerHasPaidBefore: false }, 'currency_not_supported'],
      [active(everything), { ...failing, now: redeemBy - 1, redemptions: 9, customerRedemptions: 0, productId: 'prod_team', customerHasPaidBefore: false, currency: 'USD' }, 'ok'],
    ];
    for (const [coupon, context, expected] of steps) expect(reason(coupon, context)).toBe(expected);
  });

  it.each([
    ['a fractional now', ctx({ now: 1.5 })],
    ['a bad currency', ctx({ currency: 'EURO' })],
    ['an empty product id', ctx({ productId: '' })],
    ['negative redemptions', ctx({ redemptions: -1 })],
    ['more customer redemptions than redemptions', ctx({ redemptions: 1, customerRedemptions: 2 })],
  ])('%s is refused', (_label, context) => {
    expect(() => checkRedemption(active(percentCoupon('20')), context)).toThrow(BillingInputError);
  });

  it('a bad stored coupon throws instead of being judged', () => {
    expect(() => checkRedemption(active(percentCoupon('120')), ctx())).toThrow(/percentOff/);
  });
});

describe('the discount line', () => {
  it('percent: the line and its description', () => {
    expect(discountFor(percentCoupon('20'), [line(1999, 'USD')], 'USD')).toEqual({
      kind: 'discount',
      couponId: 'coupon_spring',
      description: 'SPRING20 (20% off)',
      // 399.8 cents
      amount: money(400, 'USD'),
    });
    // Printed canonically whatever trailing zeros were stored.
    expect(discountFor(percentCoupon('12.50'), [line(1000, 'USD')], 'USD')?.description).toBe('SPRING20 (12.5% off)');
  });

  it('the description uses the coupon name, not the code', () => {
    expect(discountFor(percentCoupon('10', { name: 'Spring sale' }), [line(1000, 'USD')], 'USD')?.description).toBe('Spring sale (10% off)');
  });

  it.each([
    // Exact ties go to the even minor unit.
    ['12.5', 100, 'USD', 12], // 12.5 -> 12
    ['12.5', 300, 'USD', 38], // 37.5 -> 38
    ['50', 5, 'USD', 2], // 2.5 -> 2
    ['50', 7, 'USD', 4], // 3.5 -> 4
    ['33.33', 1000, 'USD', 333], // 333.3
    ['66.67', 1000, 'USD', 667], // 666.7
    // JPY has no minor unit: yen are rounded.
    ['15', 999, 'JPY', 150], // 149.85
    ['10', 15, 'JPY', 2], // 1.5 -> 2
    ['10', 25, 'JPY', 2], // 2.5 -> 2
    // KWD has three decimals: fils are rounded.
    ['12.5', 1500, 'KWD', 188], // 187.5 fils -> 188
    ['33.33', 10_000, 'KWD', 3333],
    ['100', 1234, 'KWD', 1234],
  ])('%s%% of %i %s is %i', (percentOff, base, currency, expected) => {
    const result = discountFor(percentCoupon(percentOff), [line(base, currency)], currency);
    expect(result?.amount).toEqual(money(expected, currency));
  });

  it('a discount that rounds to zero is no line', () => {
    expect(discountFor(percentCoupon('10'), [line(5, 'JPY')], 'JPY')).toBeNull(); // 0.5 yen -> 0
    expect(discountFor(percentCoupon('0.01'), [line(5000, 'USD')], 'USD')).toBeNull(); // 0.5 cent -> 0
  });

  it('fixed: the full amount off, capped at the base, never carried over', () => {
    const welcome = fixedCoupon({ EUR: 1000, JPY: 1000, KWD: 1500 });
    expect(discountFor(welcome, [line(4900, 'EUR')], 'EUR')).toEqual({ kind: 'discount', couponId: 'coupon_welcome', description: 'WELCOME (€10.00 off)', amount: money(1000, 'EUR') });
    expect(off(welcome, [line(1000, 'EUR')], 'EUR')).toBe(1000);
    const capped = discountFor(welcome, [line(600, 'EUR')], 'EUR');
    expect(capped?.amount).toEqual(money(600, 'EUR'));
    expect(capped?.description).toBe('WELCOME (€10.00 off)');
    expect(discountFor(welcome, [line(5000, 'JPY')], 'JPY')?.description).toBe('WELCOME (¥1,000 off)');
    expect(discountFor(welcome, [line(5000, 'KWD')], 'KWD')?.description).toBe(`WELCOME (${formatMoney(money(1500, 'KWD'))} off)`);
  });

  it('fixed: a currency without an amount off throws (checkRedemption refuses it first)', () => {
    expect(() => discountFor(fixedCoupon({ EUR: 1000 }), [line(5000, 'USD')], 'USD')).toThrow(BillingInputError);
  });

  it('only the lines of the covered products count', () => {
    const lines = [line(2000, 'USD', 'prod_pro'), line(500, 'USD', 'prod_addon'), line(300, 'USD', null)];
    expect(off(percentCoupon('20'), lines, 'USD')).toBe(560);
    expect(off(percentCoupon('20', { productIds: ['prod_pro'] }), lines, 'USD')).toBe(400);
    expect(off(percentCoupon('20', { productIds: ['prod_pro', 'prod_addon'] }), lines, 'USD')).toBe(500);
    expect(discountFor(percentCoupon('20', { productIds: ['prod_team'] }), lines, 'USD')).toBeNull();
    // A fixed amount is capped at the covered lines, not the invoice.
    expect(off(fixedCoupon({ USD: 1000 }, { productIds: ['prod_addon'] }), lines, 'USD')).toBe(500);
  });

  it('a covered base at or below zero gives no discount', () => {
    // A downgrade: the proration credit exceeds the new charge.
    expect(discountFor(percentCoupon('20'), [line(1000, 'USD'), line(-1500, 'USD')], 'USD')).toBeNull();
    expect(discountFor(fixedCoupon({ USD: 500 }), [line(1000, 'USD'), line(-1000, 'USD')], 'USD')).toBeNull();
    expect(discountFor(percentCoupon('20'), [], 'USD')).toBeNull();
    // A credit on a line the coupon does not cover does not reduce its base.
    expect(off(percentCoupon('20', { productIds: ['prod_pro'] }), [line(1000, 'USD'), line(-5000, 'USD', 'prod_other')], 'USD')).toBe(200);
  });

  it('refuses a line in another currency and a malformed amount', () => {
    expect(() => discountFor(percentCoupon('20'), [line(1000, 'EUR')], 'USD')).toThrow(CurrencyMismatchError);
    expect(() => discountFor(percentCoupon('20'), [{ amount: { amount: 10.5, currency: 'USD' }, productId: null }], 'USD')).toThrow(BillingInputError);
    expect(() => discountFor(percentCoupon('20'), [line(1000, 'USD')], 'dollars')).toThrow(BillingInputError);
  });

  it('accepts the invoice currency in any case', () => {
    expect(off(percentCoupon('20'), [line(1000, 'USD')], 'usd')).toBe(200);
  });

  it('the line is accepted by computeInvoiceTotals', () => {
    const period = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 1, 1) };
    const seats = subscriptionLine({ priceId: 'price_pro', description: 'Pro', unitAmount: money(1250, 'USD'), quantity: 3, period });
    const discount = discountFor(percentCoupon('20'), [{ amount: seats.amount, productId: 'prod_pro' }], 'USD')!;
    const totals = computeInvoiceTotals({ currency: 'USD', lines: [seats], discounts: [discount] });
    expect(totals.discountTotal).toEqual(money(750, 'USD'));
    expect(totals.total).toEqual(money(3000, 'USD'));
  });
});

describe('the discount line: properties', () => {
  const currencies = fc.constantFrom('USD', 'JPY', 'KWD');
  const products = ['prod_a', 'prod_b', 'prod_c'];
  const lineArb = fc.record({ amount: fc.integer({ min: -100_000, max: 100_000 }), productId: fc.constantFrom<string | null>(...products, null) });
  // Hundredths of a percent, 0.01 % to 100 %, stored with two decimals ("12.50").
  const percentOff = fc.integer({ min: 1, max: 10_000 }).map((h) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`);
  const discount = fc.oneof(
    percentOff.map((p) => ({ kind: 'percent' as const, percentOff: p })),
    fc.integer({ min: 1, max: 200_000 }).map((n) => ({ kind: 'fixed' as const, amountsOff: { USD: n, JPY: n, KWD: n } })),
  );
  const productIds = fc.option(fc.subarray(products, { minLength: 1 }), { nil: null });
  const coveredBase = (ids: readonly string[] | null, lines: Array<{ amount: number; productId: string | null }>) =>
    Math.max(0, lines.filter((l) => ids === null || (l.productId !== null && ids.includes(l.productId))).reduce((acc, l) => acc + l.amount, 0));

  it('is never negative and never exceeds the discountable base', () => {
    fc.assert(
      fc.property(currencies, discount, productIds, fc.array(lineArb, { maxLength: 8 }), (currency, d, ids, raw) => {
        const coupon = percentCoupon('1', { discount: d, productIds: ids });
        const result = discountFor(coupon, raw.map((l) => line(l.amount, currency, l.productId)), currency);
        const base = coveredBase(ids, raw);
        if (result === null) return;
        expect(result.amount.amount).toBeGreaterThan(0);
        expect(result.amount.amount).toBeLessThanOrEqual(base);
        expect(result.amount.currency).toBe(currency);
      }),
    );
  });

  it('fixed takes min(amount off, base) and percent is within half a minor unit of exact', () => {
    fc.assert(
      fc.property(discount, fc.integer({ min: 1, max: 1_000_000 }), (d, base) => {
        const amount = off(percentCoupon('1', { discount: d }), [line(base, 'USD')], 'USD');
        if (d.kind === 'fixed') {
          expect(amount).toBe(Math.min(d.amountsOff.USD, base));
        } else {
          const hundredths = BigInt(d.percentOff.replace('.', ''));
          const error = BigInt(amount) * 10_000n - BigInt(base) * hundredths;
          expect(error <= 5_000n && error >= -5_000n).toBe(true);
        }
      }),
    );
  });

  it('percent is monotonic in the base', () => {
    fc.assert(
      fc.property(percentOff, currencies, fc.integer({ min: -10_000, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (p, currency, base, more) => {
        const coupon = percentCoupon(p);
        expect(off(coupon, [line(base + more, currency)], currency)).toBeGreaterThanOrEqual(off(coupon, [line(base, currency)], currency));
      }),
    );
  });

  it('100% off is the whole discountable base', () => {
    fc.assert(
      fc.property(currencies, productIds, fc.array(lineArb, { maxLength: 8 }), (currency, ids, raw) => {
        const base = coveredBase(ids, raw);
        const result = discountFor(percentCoupon('100', { productIds: ids }), raw.map((l) => line(l.amount, currency, l.productId)), currency);
        expect(result?.amount.amount ?? 0).toBe(base);
      }),
    );
  });
});

describe('invoiceDiscount', () => {
  it('discounts the charges of an invoice and never its proration credit, mapping prices to products', () => {
    const period = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 1, 1) };
    const charge = subscriptionLine({ priceId: 'price_team', description: 'Team', unitAmount: money(1000, 'USD'), quantity: 1, period });
    const credit = { ...charge, kind: 'proration' as const, direction: 'credit' as const, amount: money(-400, 'USD'), priceId: 'price_pro' };
    const productOf = new Map([['price_team', 'prod_team'], ['price_pro', 'prod_pro']]);
    expect(invoiceDiscount(percentCoupon('20'), [credit, charge], productOf, 'USD')?.amount).toEqual(money(200, 'USD'));
    expect(invoiceDiscount(percentCoupon('20', { productIds: ['prod_pro'] }), [credit, charge], productOf, 'USD')).toBeNull();
  });
});

describe('amountOffText', () => {
  it('says a percentage canonically and a fixed amount in one currency or all of them', () => {
    expect(amountOffText({ kind: 'percent', percentOff: '12.50' })).toBe('12.5%');
    expect(amountOffText({ kind: 'fixed', amountsOff: { USD: 1000, EUR: 900 } }, 'EUR')).toBe('€9.00');
    expect(amountOffText({ kind: 'fixed', amountsOff: { USD: 1000, EUR: 900 } })).toBe('$10.00 or €9.00');
    expect(amountOffText({ kind: 'fixed', amountsOff: { USD: 1000 } }, 'GBP')).toBeNull();
  });
});
