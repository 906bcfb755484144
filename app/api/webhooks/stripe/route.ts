import { getRuntime } from '@/lib/runtime';
import { handleWebhook } from '@/lib/webhooks/endpoint';
import { stripeVerifier } from '@/lib/webhooks/verifiers';

export async function POST(request: Request) {
  const runtime = await getRuntime();
  return handleWebhook(runtime, 'stripe', request, stripeVerifier(runtime.config));
}
