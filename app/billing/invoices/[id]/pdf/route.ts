/** GET /billing/invoices/:id/pdf: the invoice as a PDF download, for its customer (and staff). */
import { currentUser } from '@/lib/auth/guards';
import { InvoiceNotFoundError, invoiceDocument } from '@/lib/invoices/document';
import { renderInvoicePdf } from '@/lib/invoices/pdf';
import { presentInvoice } from '@/lib/invoices/presentation';
import { getRuntime } from '@/lib/runtime';

export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  const user = await currentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const { id } = await context.params;
  const runtime = await getRuntime();
  try {
    const doc = await invoiceDocument(runtime.db, runtime.config.seller, user, id);
    const pdf = await renderInvoicePdf(presentInvoice(doc));
    return new Response(new Uint8Array(pdf), {
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${doc.invoice.number}.pdf"`, 'cache-control': 'private, no-store' },
    });
  } catch (error) {
    if (error instanceof InvoiceNotFoundError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
