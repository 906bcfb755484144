import { getRuntime } from '@/lib/runtime';
import { handleWebhook } from '@/lib/webhooks/endpoint';
import { paypalVerifier } from '@/lib/webhooks/verifiers';

export async function POST(request: Request) {
  const runtime = await getRuntime();
  return handleWebhook({ db: runtime.db, storeEvent: runtime.storeWebhookEvent }, 'paypal', request, paypalVerifier(runtime.config));
}
