/**
 * A customer's billing details: the name and address invoices carry and tax is computed from. The
 * region (US state, Canadian province) is derived from the postal code, so the form asks for less.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { customers, type Customer } from '@/db/schema';
import { isValidPostalCode, regionFromPostalCode, validateVatIdFormat } from '@/lib/billing';
import { isBillingCountry } from './countries';

/** EU member states and the UK: VAT ids there have a format we can check. */
const VAT_FORMAT_COUNTRIES = new Set(['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK']);

export const BillingDetailsInput = z
  .object({
    name: z.string().trim().min(1, 'Enter the name to bill.').max(200, 'Use at most 200 characters.'),
    country: z.string().trim().toUpperCase().refine(isBillingCountry, 'Choose a country from the list.'),
    postalCode: z.string().trim().toUpperCase().min(1, 'Enter your postal code.').max(12, 'Use at most 12 characters.'),
    vatId: z.string().trim().max(20, 'Use at most 20 characters.').optional().default(''),
  })
  .transform((input, ctx) => {
    if (!isValidPostalCode(input.country, input.postalCode)) {
      ctx.addIssue({ code: 'custom', path: ['postalCode'], message: `This is not a valid postal code for ${input.country}.` });
      return z.NEVER;
    }
    const region = regionFromPostalCode(input.country, input.postalCode);
    if ((input.country === 'US' || input.country === 'CA') && !region) {
      ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'We could not tell the state or province from this postal code.' });
      return z.NEVER;
    }
    let vatId: string | null = null;
    if (input.vatId) {
      if (VAT_FORMAT_COUNTRIES.has(input.country)) {
        const checked = validateVatIdFormat(input.country, input.vatId);
        if (!checked.valid) {
          ctx.addIssue({ code: 'custom', path: ['vatId'], message: checked.reason });
          return z.NEVER;
        }
        vatId = checked.normalized;
      } else {
        vatId = input.vatId.toUpperCase();
      }
    }
    return { name: input.name, country: input.country, postalCode: input.postalCode, region, vatId };
  });

export type BillingDetails = z.output<typeof BillingDetailsInput>;

export type BillingDetailsResult = { ok: true; details: BillingDetails } | { ok: false; fieldErrors: Record<string, string> };

/** Parses the form; every problem is reported against its field. */
export function parseBillingDetails(input: Record<string, unknown>): BillingDetailsResult {
  const parsed = BillingDetailsInput.safeParse(input);
  if (parsed.success) return { ok: true, details: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fieldErrors[field] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}

export async function saveBillingDetails(db: DbOrTx, customerId: string, details: BillingDetails): Promise<void> {
  await db
    .update(customers)
    .set({ billingName: details.name, country: details.country, postalCode: details.postalCode, region: details.region, taxId: details.vatId, updatedAt: new Date() })
    .where(eq(customers.id, customerId));
}

/** Whether tax can be computed for this customer: a country, and a postal code (US and Canada need the region). */
export function hasBillingAddress(customer: Pick<Customer, 'billingName' | 'country' | 'postalCode'>): boolean {
  return Boolean(customer.billingName && customer.country && customer.postalCode);
}
