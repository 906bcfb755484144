/**
 * An invoice as a document (the HTML view and the PDF show the same): seller, buyer as frozen at
 * finalization, lines and totals. Only its customer, support and admins may read it.
 */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { customers, invoiceLines, invoices, type Invoice, type InvoiceLineRow } from '@/db/schema';
import type { AppConfig } from '@/lib/config';
import { isUuid } from '@/lib/ids';

export class InvoiceNotFoundError extends Error {
  constructor() {
    super('There is no such invoice.');
  }
}

export interface InvoiceDocument {
  invoice: Invoice;
  lines: InvoiceLineRow[];
  seller: AppConfig['seller'];
}


/** The document, or InvoiceNotFoundError for a missing, draft or another customer's invoice (its existence is not disclosed). */
export async function invoiceDocument(db: DbOrTx, seller: AppConfig['seller'], viewer: { id: string; role: string }, invoiceId: string): Promise<InvoiceDocument> {
  if (!isUuid(invoiceId)) throw new InvoiceNotFoundError();
  const [row] = await db.select({ invoice: invoices, userId: customers.userId }).from(invoices).innerJoin(customers, eq(customers.id, invoices.customerId)).where(eq(invoices.id, invoiceId));
  const staff = viewer.role === 'admin' || viewer.role === 'support';
  if (!row || row.invoice.status === 'draft' || (!staff && row.userId !== viewer.id)) throw new InvoiceNotFoundError();
  const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));
  return { invoice: row.invoice, lines, seller };
}
