/** POST /api/invoices/:id/refresh: after the customer confirmed a payment, re-read it at the provider and settle the invoice. */
import { apiAccess } from '@/lib/auth/guards';
import { chargeDeps } from '@/lib/invoices/charge';
import { InvoiceNotFoundError } from '@/lib/invoices/document';
import { refreshInvoicePayment } from '@/lib/invoices/pay';
import { getRuntime } from '@/lib/runtime';

export async function POST(_request: Request, context: { params: Promise<{ id: string }> }) {
  const { user, denied } = await apiAccess(['customer', 'support', 'admin']);
  if (denied) return denied;
  const { id } = await context.params;
  const runtime = await getRuntime();
  try {
    const outcome = await refreshInvoicePayment({ ...chargeDeps(runtime), seller: runtime.config.seller }, user, id, new Date());
    return Response.json({ outcome });
  } catch (error) {
    if (error instanceof InvoiceNotFoundError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
