/** Who may act on a checkout: only the customer who started it, whatever id the browser sends back. */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { checkouts, customers, type Checkout } from '@/db/schema';
import { CheckoutForbiddenError, CheckoutNotFoundError } from './errors';
import { isUuid } from '@/lib/ids';


async function owned(db: DbOrTx, userId: string, where: ReturnType<typeof eq>): Promise<Checkout> {
  const [row] = await db.select({ checkout: checkouts, userId: customers.userId }).from(checkouts).innerJoin(customers, eq(customers.id, checkouts.customerId)).where(where);
  if (!row) throw new CheckoutNotFoundError();
  if (row.userId !== userId) throw new CheckoutForbiddenError();
  return row.checkout;
}

/** The checkout with this id if it is the user's; 404 when there is none, 403 when it is another's. */
export async function checkoutOfUser(db: DbOrTx, userId: string, checkoutId: string): Promise<Checkout> {
  if (!isUuid(checkoutId)) throw new CheckoutNotFoundError();
  return owned(db, userId, eq(checkouts.id, checkoutId));
}

/** The checkout a provider intent or order id belongs to (the return page's `payment_intent`), if it is the user's. */
export async function checkoutOfIntent(db: DbOrTx, userId: string, provider: 'stripe' | 'paypal', intentId: string): Promise<Checkout> {
  return owned(db, userId, and(eq(checkouts.provider, provider), eq(checkouts.providerIntentId, intentId))!);
}
