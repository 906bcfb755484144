/**
 * The admin's "new coupon" form, read into a NewCoupon or every problem by field. Pure. Amounts are
 * typed in major units per currency ("10.00" USD → 1000); dates are UTC days (the coupon can be
 * redeemed through the end of that day).
 */
import { z } from 'zod';
import { isValidCouponCode, isValidPercentOff } from '@/lib/billing';
import { currencyExponent, fromMajorUnitString } from '@/lib/money';
import type { NewCoupon } from './index';

export type CouponFormField = 'code' | 'name' | 'discountKind' | 'percentOff' | 'amountsOff' | 'duration' | 'durationInPeriods' | 'redeemBy' | 'maxRedemptions' | 'maxRedemptionsPerCustomer' | 'productIds';

export type CouponFormResult = { ok: true; coupon: NewCoupon } | { ok: false; errors: Partial<Record<CouponFormField, string>> };

const optionalText = z.string().trim().optional().default('');
const formSchema = z.object({
  code: z.string().trim().refine(isValidCouponCode, 'Use 3 to 40 letters, digits, "-" or "_".'),
  name: z.string().trim().min(1, 'Name the discount: it is printed on invoices.').max(100, 'Keep the name under 100 characters.'),
  discountKind: z.enum(['percent', 'fixed'], { message: 'Choose a percentage or a fixed amount.' }),
  duration: z.enum(['once', 'repeating', 'forever'], { message: 'Choose once, repeating or forever.' }),
  percentOff: optionalText,
  durationInPeriods: optionalText,
  redeemBy: optionalText,
  maxRedemptions: optionalText,
  maxRedemptionsPerCustomer: optionalText,
});

/** A whole number of at least 1, or null for an empty field; a message when it is neither. */
function wholeOrNull(text: string, message: string): number | null | { error: string } {
  if (text === '') return null;
  return /^[1-9]\d{0,8}$/.test(text) ? Number(text) : { error: message };
}

/**
 * `fields`: the form's values; `amountsOff` maps each currency the catalog bills to what was typed for
 * it (empty: the coupon cannot be used in that currency); `productIds`: the plans ticked (none: every plan).
 */
export function parseCouponForm(fields: Record<string, unknown>, amountsOff: Record<string, string>, productIds: string[], now: Date): CouponFormResult {
  const errors: Partial<Record<CouponFormField, string>> = {};
  const parsed = formSchema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as CouponFormField] ??= issue.message;
    return { ok: false, errors };
  }
  const form = parsed.data;

  let discount: NewCoupon['discount'] | null = null;
  if (form.discountKind === 'percent') {
    if (isValidPercentOff(form.percentOff)) {
      discount = { kind: 'percent', percentOff: form.percentOff };
    } else errors.percentOff = 'Enter a percentage above 0 and at most 100, with at most 2 decimals (such as 20 or 12.5).';
  } else {
    const amounts: Record<string, number> = {};
    for (const [currency, text] of Object.entries(amountsOff)) {
      if (text.trim() === '') continue;
      try {
        const amount = fromMajorUnitString(text, currency);
        if (amount <= 0) throw new RangeError('not positive');
        amounts[currency] = amount;
      } catch {
        const decimals = currencyExponent(currency);
        errors.amountsOff = `Enter the ${currency} amount as a positive plain number${decimals === 0 ? ' with no decimals' : `, such as 10.${'0'.repeat(decimals)}`}.`;
      }
    }
    if (!errors.amountsOff && Object.keys(amounts).length === 0) errors.amountsOff = 'Enter the amount off in at least one currency.';
    discount = { kind: 'fixed', amountsOff: amounts };
  }

  let durationInPeriods: number | null = null;
  if (form.duration === 'repeating') {
    const periods = wholeOrNull(form.durationInPeriods, 'Enter how many invoices it discounts: a whole number of at least 1.');
    if (periods === null) errors.durationInPeriods = 'Enter how many invoices it discounts: a whole number of at least 1.';
    else if (typeof periods === 'object') errors.durationInPeriods = periods.error;
    else durationInPeriods = periods;
  }

  let redeemBy: Date | null = null;
  if (form.redeemBy !== '') {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(form.redeemBy) ? new Date(`${form.redeemBy}T00:00:00Z`) : null;
    if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== form.redeemBy) errors.redeemBy = 'Enter a date as YYYY-MM-DD.';
    else {
      // Redeemable through the end of the day given.
      redeemBy = new Date(day.getTime() + 86_400_000);
      if (redeemBy <= now) errors.redeemBy = 'This date has passed: the coupon could never be redeemed.';
    }
  }

  const limits = {
    maxRedemptions: wholeOrNull(form.maxRedemptions, 'Enter a whole number of at least 1, or leave it empty for no limit.'),
    maxRedemptionsPerCustomer: wholeOrNull(form.maxRedemptionsPerCustomer, 'Enter a whole number of at least 1, or leave it empty for no limit.'),
  };
  for (const [field, value] of Object.entries(limits)) if (value !== null && typeof value === 'object') errors[field as CouponFormField] = value.error;

  if (Object.keys(errors).length > 0 || !discount) return { ok: false, errors };
  return {
    ok: true,
    coupon: {
      code: form.code,
      name: form.name,
      discount,
      duration: form.duration,
      durationInPeriods,
      redeemBy,
      maxRedemptions: limits.maxRedemptions as number | null,
      maxRedemptionsPerCustomer: limits.maxRedemptionsPerCustomer as number | null,
      productIds: productIds.length > 0 ? productIds : null,
      firstTimeOnly: fields.firstTimeOnly === 'on' || fields.firstTimeOnly === true,
    },
  };
}
