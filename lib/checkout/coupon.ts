/** The code a customer entered at checkout, checked for this purchase; a refusal is a request error with its reason. */
import type { DbOrTx } from '@/db/client';
import type { RedeemableCoupon } from '@/lib/billing';
import { assertRedeemable, CouponError, findCoupon } from '@/lib/coupons';
import { CheckoutRequestError } from './errors';
import type { ResolvedCheckout } from './validate';

/** Null when no code was entered. `lock`: as in findCoupon, for the transaction that opens the checkout. */
export async function checkoutCoupon(tx: DbOrTx, code: string | null | undefined, customerId: string, resolved: Pick<ResolvedCheckout, 'price' | 'product'>, now: Date, lock: boolean): Promise<RedeemableCoupon | null> {
  if (code === null || code === undefined || code.trim() === '') return null;
  try {
    const coupon = await findCoupon(tx, code, lock);
    await assertRedeemable(tx, coupon, { customerId, productId: resolved.product.id, productName: resolved.product.name, priceId: resolved.price.id, currency: resolved.price.currency, now });
    return coupon;
  } catch (error) {
    if (error instanceof CouponError) throw new CheckoutRequestError('coupon_refused', error.message);
    throw error;
  }
}
