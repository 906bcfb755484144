/**
 * An invoice as a document (the HTML view and the PDF show the same): seller, buyer as frozen at
 * finalization, lines and totals, and the credit notes issued on it since (the invoice itself never
 * changes). Only its customer, support and admins may read it.
 */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { creditNotes, customers, invoiceLines, invoices, refunds, type CreditNote, type Invoice, type InvoiceLineRow, type Refund } from '@/db/schema';
import type { AppConfig } from '@/lib/config';
import { isUuid } from '@/lib/ids';

export class InvoiceNotFoundError extends Error {
  constructor() {
    super('There is no such invoice.');
  }
}

/** A credit note, with the provider its refund went through (null when settled to the credit balance). */
export type InvoiceCreditNote = CreditNote & { refundProvider: Refund['provider'] | null };

export interface InvoiceDocument {
  invoice: Invoice;
  lines: InvoiceLineRow[];
  creditNotes: InvoiceCreditNote[];
  seller: AppConfig['seller'];
}


/** The document, or InvoiceNotFoundError for a missing, draft or another customer's invoice (its existence is not disclosed). */
export async function invoiceDocument(db: DbOrTx, seller: AppConfig['seller'], viewer: { id: string; role: string }, invoiceId: string): Promise<InvoiceDocument> {
  if (!isUuid(invoiceId)) throw new InvoiceNotFoundError();
  const [row] = await db.select({ invoice: invoices, userId: customers.userId }).from(invoices).innerJoin(customers, eq(customers.id, invoices.customerId)).where(eq(invoices.id, invoiceId));
  const staff = viewer.role === 'admin' || viewer.role === 'support';
  if (!row || row.invoice.status === 'draft' || (!staff && row.userId !== viewer.id)) throw new InvoiceNotFoundError();
  const [lines, notes] = await Promise.all([
    db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position)),
    db
      .select({ note: creditNotes, refundProvider: refunds.provider })
      .from(creditNotes)
      .leftJoin(refunds, eq(refunds.id, creditNotes.refundId))
      .where(eq(creditNotes.invoiceId, invoiceId))
      .orderBy(asc(creditNotes.createdAt), asc(creditNotes.number)),
  ]);
  return { invoice: row.invoice, lines, creditNotes: notes.map((n) => ({ ...n.note, refundProvider: n.refundProvider })), seller };
}
