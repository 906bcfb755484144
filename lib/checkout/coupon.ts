/** The code a customer entered at checkout, checked for this purchase; a refusal is a request error with its reason. */
import type { DbOrTx } from '@/db/client';
import type { RedeemableCoupon } from '@/lib/billing';
import { assertRedeemable, CouponError, findCoupon, lockCoupon } from '@/lib/coupons';
import { CheckoutRequestError } from './errors';
import type { ResolvedCheckout } from './validate';

async function refusingAsRequest<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CouponError) throw new CheckoutRequestError('coupon_refused', error.message);
    throw error;
  }
}

/** The coupon with the code entered, or null when none was; an unknown or malformed code is refused. */
export async function findCheckoutCoupon(tx: DbOrTx, code: string | null | undefined): Promise<RedeemableCoupon | null> {
  if (code === null || code === undefined || code.trim() === '') return null;
  return refusingAsRequest(() => findCoupon(tx, code));
}

/**
 * Refuses the coupon if this customer may not redeem it for this purchase now. `lock`: in the
 * transaction that opens the checkout, with the row locked and re-read (see lockCoupon).
 */
export async function checkCheckoutCoupon(tx: DbOrTx, coupon: RedeemableCoupon, customerId: string, resolved: Pick<ResolvedCheckout, 'price' | 'product'>, now: Date, lock: boolean): Promise<RedeemableCoupon> {
  return refusingAsRequest(async () => {
    const current = lock ? await lockCoupon(tx, coupon.id) : coupon;
    await assertRedeemable(tx, current, { customerId, productId: resolved.product.id, productName: resolved.product.name, atCheckout: true, currency: resolved.price.currency, now });
    return current;
  });
}
