/**
 * Fulfilment from webhooks: when a provider object belongs to a checkout the app started (Stripe
 * metadata `checkoutId`, PayPal `custom_id`), its event fulfils that checkout exactly as the return
 * page would, so a customer who pays and never comes back still gets what they bought.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { checkouts } from '@/db/schema';
import { applyConfirmation } from '@/lib/checkout/fulfil';
import { confirmAtProvider, type Confirmation } from '@/lib/checkout/provider-confirmation';
import type { HandlerContext } from './handler';

export interface CheckoutConfirmation {
  checkoutId: string;
  confirmation: Confirmation;
}

/** In `load`: what the provider says about the open checkout this object belongs to, if any. */
export async function loadCheckoutConfirmation(ctx: HandlerContext, checkoutId: unknown): Promise<CheckoutConfirmation | null> {
  const id = z.uuid().safeParse(checkoutId);
  if (!id.success) return null;
  const [checkout] = await ctx.db.select().from(checkouts).where(eq(checkouts.id, id.data));
  if (!checkout || checkout.status !== 'open') return null;
  return { checkoutId: checkout.id, confirmation: await confirmAtProvider(ctx.gateways, checkout) };
}

/** In `apply`: fulfils (or records the failure of) that checkout in the event's transaction. */
export async function applyCheckoutConfirmation(tx: DbOrTx, ctx: HandlerContext, loaded: CheckoutConfirmation | null, provider: 'stripe' | 'paypal'): Promise<string | null> {
  if (!loaded) return null;
  const result = await applyConfirmation(tx, ctx, loaded.checkoutId, loaded.confirmation, ctx.now, { type: 'provider', id: provider });
  if (result?.status === 'completed') return 'checkout fulfilled';
  if (result?.status === 'pending') return 'checkout awaiting the provider';
  if (result?.status === 'duplicate') return 'checkout paid for a product the customer already has; payment kept for a refund';
  return loaded.confirmation.outcome === 'failed' ? 'checkout payment failed' : 'checkout already fulfilled';
}

export const withCheckout = (outcome: string, checkout: string | null) => (checkout ? `${outcome}; ${checkout}` : outcome);
