/**
 * POST /api/checkout/:id/complete: the return page asks the server to re-read the payment from the
 * provider and fulfil. Only the checkout's own customer may; a repeat answers the same result.
 */
import { apiAccess } from '@/lib/auth/guards';
import { checkoutOfUser } from '@/lib/checkout/access';
import { fulfilCheckout } from '@/lib/checkout/fulfil';
import { answeringCheckoutErrors, checkoutDeps } from '@/lib/checkout/http';
import { getRuntime } from '@/lib/runtime';

export async function POST(_request: Request, context: { params: Promise<{ id: string }> }) {
  const { user, denied } = await apiAccess(['customer', 'support', 'admin']);
  if (denied) return denied;
  const { id } = await context.params;
  const runtime = await getRuntime();
  return answeringCheckoutErrors(async () => {
    const checkout = await checkoutOfUser(runtime.db, user.id, id);
    const result = await fulfilCheckout(checkoutDeps(runtime), checkout.id, new Date(), { type: 'user', id: user.id });
    return Response.json(result, { status: result.status === 'completed' ? 200 : 202 });
  });
}
