/**
 * What a completed checkout bought, for its success page and receipt: only for the customer who
 * bought it. Read-only; amounts are the ones recorded at checkout, never recomputed.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { orders, payments, prices, products, subscriptions, type PaymentMethodSummary } from '@/db/schema';
import { defaultPaymentMethod } from '@/lib/payments/payment-methods';
import { checkoutOfUser } from './access';

export interface CheckoutReceipt {
  checkoutId: string;
  status: 'open' | 'completed' | 'canceled';
  productName: string;
  perSeat: boolean;
  quantity: number;
  interval: string | null;
  currency: string;
  subtotal: number;
  /** What the coupon took off, before tax; 0 without one. */
  discount: number;
  tax: number;
  total: number;
  amountPaid: number;
  completedAt: Date | null;
  paymentMethod: PaymentMethodSummary | null;
  /** The provider's id of the payment, for the customer's bank statement questions. */
  paymentReference: string | null;
  subscription: { status: string; currentPeriodEnd: Date; trialEnd: Date | null } | null;
  orderId: string | null;
}

export async function checkoutReceipt(db: DbOrTx, userId: string, checkoutId: string): Promise<CheckoutReceipt> {
  const checkout = await checkoutOfUser(db, userId, checkoutId);
  const [{ product, price }] = await db.select({ product: products, price: prices }).from(prices).innerJoin(products, eq(products.id, prices.productId)).where(eq(prices.id, checkout.priceId));
  const [payment] = checkout.paymentId ? await db.select().from(payments).where(eq(payments.id, checkout.paymentId)) : [];
  const [subscription] = await db.select().from(subscriptions).where(eq(subscriptions.checkoutId, checkout.id));
  const [order] = await db.select({ id: orders.id }).from(orders).where(eq(orders.checkoutId, checkout.id));
  // A trial collects no payment: the card or PayPal account it saved is the customer's default.
  const saved = payment?.paymentMethod ? null : await defaultPaymentMethod(db, checkout.customerId);
  return {
    checkoutId: checkout.id,
    status: checkout.status,
    productName: product.name,
    perSeat: product.perSeat,
    quantity: checkout.quantity,
    interval: price.interval,
    currency: checkout.currency,
    subtotal: checkout.subtotal,
    discount: checkout.discount,
    tax: checkout.tax,
    total: checkout.total,
    amountPaid: checkout.status === 'completed' ? checkout.amountDueToday : 0,
    completedAt: checkout.completedAt,
    paymentMethod: payment?.paymentMethod ?? saved?.summary ?? null,
    paymentReference: payment?.providerChargeId ?? payment?.providerPaymentId ?? null,
    subscription: subscription ? { status: subscription.status, currentPeriodEnd: subscription.currentPeriodEnd, trialEnd: subscription.trialEnd } : null,
    orderId: order?.id ?? null,
  };
}
