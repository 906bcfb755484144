'use server';

import { revalidatePath } from 'next/cache';
import { requireRole } from '@/lib/auth/guards';
import { GoodwillCreditError, grantGoodwillCredit, parseGoodwillCreditForm, type GoodwillCreditField } from '@/lib/customers/goodwill-credit';
import { formatMoney } from '@/lib/money';
import { getRuntime } from '@/lib/runtime';

export interface GoodwillCreditState {
  message?: string;
  error?: string;
  fieldErrors?: Partial<Record<GoodwillCreditField, string>>;
  /** What was typed, to show again after a refusal. */
  values?: { amount: string; currency: string; reason: string };
}

export async function grantGoodwillCreditAction(_previous: GoodwillCreditState, form: FormData): Promise<GoodwillCreditState> {
  const customerId = String(form.get('customerId') ?? '');
  const admin = await requireRole(['admin'], `/admin/customers/${encodeURIComponent(customerId)}`);
  const fields = { customerId, currency: form.get('currency'), amount: form.get('amount'), reason: form.get('reason'), idempotencyKey: form.get('idempotencyKey') };
  const values = { amount: String(fields.amount ?? ''), currency: String(fields.currency ?? ''), reason: String(fields.reason ?? '') };
  const parsed = parseGoodwillCreditForm(fields);
  if (!parsed.ok) return { fieldErrors: parsed.errors, values };
  const { db } = await getRuntime();
  try {
    const result = await grantGoodwillCredit(db, admin.id, parsed.credit);
    revalidatePath(`/admin/customers/${customerId}`);
    const amount = formatMoney(parsed.credit.amount, parsed.credit.currency);
    const balance = formatMoney(result.balance, parsed.credit.currency);
    return { message: result.credited ? `Credited ${amount}; the ${parsed.credit.currency} balance is now ${balance}.` : `This credit of ${amount} was already recorded; nothing more was added.` };
  } catch (error) {
    if (error instanceof GoodwillCreditError) return { error: error.message, values };
    throw error;
  }
}
