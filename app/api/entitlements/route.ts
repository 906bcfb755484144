/**
 * GET /api/entitlements?feature=KEY: may the signed-in user use this feature now? The SaaS asks this
 * before serving a feature; the answer comes from the user's subscriptions (lib/subscriptions/entitlements).
 */
import { apiAccess } from '@/lib/auth/guards';
import { getRuntime } from '@/lib/runtime';
import { entitlementResponse, featureAccess, parseFeatureKey } from '@/lib/subscriptions/entitlements';

export async function GET(request: Request) {
  const { user, denied } = await apiAccess(['customer', 'support', 'admin']);
  if (denied) return denied;
  const feature = parseFeatureKey(new URL(request.url).searchParams.get('feature'));
  if (!feature.ok) return Response.json({ error: feature.error, code: 'invalid_feature' }, { status: 400 });
  const { db, config } = await getRuntime();
  const access = await featureAccess(db, { userId: user.id }, feature.key, new Date(), config.billing);
  // Personal and changing with every payment: never cached.
  return Response.json(entitlementResponse(access), { headers: { 'cache-control': 'private, no-store' } });
}
