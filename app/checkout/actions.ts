'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/guards';
import { parseBillingDetails, saveBillingDetails } from '@/lib/billing-details';
import { ensureCustomer } from '@/lib/checkout/customer';
import { getRuntime } from '@/lib/runtime';

export interface BillingDetailsState {
  saved?: boolean;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

/** Saves the billing details from the checkout page; the order summary then shows the tax for them. */
export async function saveBillingDetailsAction(_previous: BillingDetailsState, form: FormData): Promise<BillingDetailsState> {
  const user = await requireUser('/pricing');
  const values = Object.fromEntries(['name', 'country', 'postalCode', 'vatId'].map((k) => [k, String(form.get(k) ?? '')]));
  const parsed = parseBillingDetails(values);
  if (!parsed.ok) return { fieldErrors: parsed.fieldErrors, values };
  const { db } = await getRuntime();
  const customer = await ensureCustomer(db, user.id);
  await saveBillingDetails(db, customer.id, parsed.details);
  revalidatePath('/checkout');
  return { saved: true };
}
