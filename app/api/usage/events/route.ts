import { getRuntime } from '@/lib/runtime';
import { handleUsageRequest } from '@/lib/usage/http';

/** Metered usage from the SaaS's backends (lib/usage/http.ts). */
export async function POST(request: Request): Promise<Response> {
  const { db } = await getRuntime();
  return handleUsageRequest(db, request, new Date());
}
