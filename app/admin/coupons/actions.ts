'use server';

import { revalidatePath } from 'next/cache';
import { requireRole } from '@/lib/auth/guards';
import { applyCouponToSubscription, CouponError, createCoupon, setCouponActive } from '@/lib/coupons';
import { parseCouponForm, type CouponFormField } from '@/lib/coupons/form';
import { isUuid } from '@/lib/ids';
import { getRuntime } from '@/lib/runtime';

export interface CouponFormState {
  error?: string;
  fieldErrors?: Partial<Record<CouponFormField, string>>;
  created?: string;
  /** What was typed, shown again after a refusal. */
  values?: Record<string, string>;
}

const AMOUNT_FIELD = /^amountOff_([A-Z]{3})$/;

export async function createCouponAction(_previous: CouponFormState, form: FormData): Promise<CouponFormState> {
  const admin = await requireRole(['admin'], '/admin/coupons');
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, v as string]));
  const amountsOff = Object.fromEntries(Object.entries(values).flatMap(([name, text]) => (AMOUNT_FIELD.test(name) ? [[AMOUNT_FIELD.exec(name)![1], text]] : [])));
  const productIds = form.getAll('productIds').map(String);
  const parsed = parseCouponForm(values, amountsOff, productIds, new Date());
  if (!parsed.ok) return { fieldErrors: parsed.errors, values };
  const { db } = await getRuntime();
  try {
    const coupon = await createCoupon(db, parsed.coupon, admin.id);
    revalidatePath('/admin/coupons');
    return { created: coupon.code };
  } catch (error) {
    if (error instanceof CouponError) return { error: error.message, values };
    throw error;
  }
}

export async function setCouponActiveAction(form: FormData): Promise<void> {
  const admin = await requireRole(['admin'], '/admin/coupons');
  const id = String(form.get('id') ?? '');
  if (!isUuid(id)) return;
  const { db } = await getRuntime();
  await setCouponActive(db, id, form.get('active') === 'true', admin.id);
  revalidatePath('/admin/coupons');
}

export interface ApplyCouponState {
  error?: string;
  applied?: string;
}

/** From a customer's page: the coupon discounts the subscription's next invoices. */
export async function applyCouponAction(_previous: ApplyCouponState, form: FormData): Promise<ApplyCouponState> {
  const customerId = String(form.get('customerId') ?? '');
  const admin = await requireRole(['admin'], `/admin/customers/${encodeURIComponent(customerId)}`);
  const subscriptionId = String(form.get('subscriptionId') ?? '');
  if (!isUuid(subscriptionId)) return { error: 'There is no such subscription.' };
  const { db } = await getRuntime();
  try {
    const coupon = await applyCouponToSubscription(db, { subscriptionId, code: String(form.get('code') ?? ''), actorId: admin.id }, new Date());
    revalidatePath(`/admin/customers/${customerId}`);
    return { applied: `${coupon.code} applied: it discounts the next invoice${coupon.duration === 'once' ? '' : 's'}.` };
  } catch (error) {
    if (error instanceof CouponError) return { error: error.message };
    throw error;
  }
}
