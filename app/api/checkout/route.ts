/** POST /api/checkout: start (or resume) a checkout for a catalog price. Amounts in the body are ignored. */
import { z } from 'zod';
import { apiAccess } from '@/lib/auth/guards';
import { answeringCheckoutErrors, checkoutDeps } from '@/lib/checkout/http';
import { startCheckout } from '@/lib/checkout/start';
import { getRuntime } from '@/lib/runtime';

const StartBody = z.object({
  priceId: z.string().min(1).max(100),
  quantity: z.number().int().min(1).max(100_000).default(1),
  provider: z.enum(['stripe', 'paypal']),
  surface: z.enum(['elements', 'hosted']).default('elements'),
  couponCode: z.string().max(100).nullish(),
});

export async function POST(request: Request) {
  const { user, denied } = await apiAccess(['customer', 'support', 'admin']);
  if (denied) return denied;
  const parsed = StartBody.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return Response.json({ error: 'Send a priceId, a whole quantity of at least 1, a provider (stripe or paypal) and optionally a surface (elements or hosted) and a couponCode.', code: 'invalid_request' }, { status: 400 });
  }
  const runtime = await getRuntime();
  return answeringCheckoutErrors(async () => {
    const started = await startCheckout(checkoutDeps(runtime), { ...parsed.data, userId: user.id }, new Date());
    return Response.json(started, { status: 201 });
  });
}
