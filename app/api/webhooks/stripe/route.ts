import { getRuntime } from '@/lib/runtime';
import { handleWebhook } from '@/lib/webhooks/endpoint';
import { stripeVerifier } from '@/lib/webhooks/verifiers';

export async function POST(request: Request) {
  const runtime = await getRuntime();
  return handleWebhook({ db: runtime.db, storeEvent: runtime.storeWebhookEvent }, 'stripe', request, stripeVerifier(runtime.config));
}
