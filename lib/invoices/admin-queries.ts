/**
 * The admin's view of invoices: a filtered, searchable list, newest first, a page at a time; and one
 * invoice with everything an admin acts on (lines, payment, refunds, disputes, credit notes, audit
 * trail) and which actions its state allows.
 */
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { containing, pageNumber, searchText } from '@/lib/admin/list-filters';
import type { Database } from '@/db/client';
import { auditLog, creditNotes, customers, disputes, invoiceLines, invoices, invoiceStatus, payments, refunds } from '@/db/schema';
import { isUuid } from '@/lib/ids';
import { creditableAmount, creditedAmount, planStatusAction } from './correction-rules';

export const ADMIN_INVOICE_PAGE_SIZE = 25;
export const INVOICE_STATUSES = invoiceStatus.enumValues;

export const adminInvoiceFilterSchema = z.object({
  status: z.enum(invoiceStatus.enumValues).optional().catch(undefined),
  q: searchText,
  page: pageNumber,
});
export type AdminInvoiceFilter = z.infer<typeof adminInvoiceFilterSchema>;

export async function listInvoicesForAdmin(db: Database, filter: AdminInvoiceFilter, pageSize = ADMIN_INVOICE_PAGE_SIZE) {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(invoices.status, filter.status));
  if (filter.q) conditions.push(or(ilike(invoices.number, containing(filter.q)), ilike(customers.email, containing(filter.q)))!);
  const where = conditions.length ? and(...conditions) : undefined;
  const credited = sql<string>`coalesce((select sum(${creditNotes.amount}) from ${creditNotes} where ${creditNotes.invoiceId} = ${invoices.id} and ${creditNotes.status} = 'issued'), 0)`;
  const [rows, [{ total }], statusCounts] = await Promise.all([
    db
      .select({
        id: invoices.id,
        number: invoices.number,
        status: invoices.status,
        currency: invoices.currency,
        total: invoices.total,
        amountDue: invoices.amountDue,
        amountPaid: invoices.amountPaid,
        credited,
        customerEmail: customers.email,
        createdAt: invoices.createdAt,
      })
      .from(invoices)
      .innerJoin(customers, eq(customers.id, invoices.customerId))
      .where(where)
      .orderBy(desc(invoices.createdAt), desc(invoices.id))
      .limit(pageSize)
      .offset((filter.page - 1) * pageSize),
    db.select({ total: count() }).from(invoices).innerJoin(customers, eq(customers.id, invoices.customerId)).where(where),
    db.select({ status: invoices.status, n: count() }).from(invoices).groupBy(invoices.status),
  ]);
  return {
    invoices: rows.map((r) => ({ ...r, credited: Number(r.credited) })),
    page: filter.page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    total,
    statusCounts: Object.fromEntries(statusCounts.map((s) => [s.status, s.n])) as Partial<Record<(typeof invoiceStatus.enumValues)[number], number>>,
  };
}

export type AdminInvoiceDetail = NonNullable<Awaited<ReturnType<typeof invoiceForAdmin>>>;

/** The invoice and what surrounds it, or null when there is none with that id. */
export async function invoiceForAdmin(db: Database, invoiceId: string) {
  if (!isUuid(invoiceId)) return null;
  const [row] = await db
    .select({ invoice: invoices, customer: { id: customers.id, email: customers.email, name: customers.billingName } })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(eq(invoices.id, invoiceId));
  if (!row) return null;
  const { invoice } = row;
  const [lines, notes, payment] = await Promise.all([
    db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position)),
    db.select().from(creditNotes).where(eq(creditNotes.invoiceId, invoiceId)).orderBy(asc(creditNotes.createdAt), asc(creditNotes.number)),
    invoice.paymentId ? db.select().from(payments).where(eq(payments.id, invoice.paymentId)).then((r) => r[0] ?? null) : null,
  ]);
  const [paymentRefunds, paymentDisputes] = payment
    ? await Promise.all([
        db.select().from(refunds).where(eq(refunds.paymentId, payment.id)).orderBy(asc(refunds.createdAt)),
        db.select().from(disputes).where(eq(disputes.paymentId, payment.id)).orderBy(asc(disputes.createdAt)),
      ])
    : [[], []];
  // The trail: the invoice's own entries, and those of its payment and refunds.
  const entities = or(
    and(eq(auditLog.entityType, 'invoice'), eq(auditLog.entityId, invoiceId)),
    ...(payment ? [and(eq(auditLog.entityType, 'payment'), eq(auditLog.entityId, payment.id))] : []),
    ...(paymentRefunds.length ? [and(eq(auditLog.entityType, 'refund'), inArray(auditLog.entityId, paymentRefunds.map((r) => r.id)))] : []),
  );
  const audit = await db.select().from(auditLog).where(entities).orderBy(asc(auditLog.createdAt), asc(auditLog.id));
  const credited = creditedAmount(notes);
  const creditable = creditableAmount(invoice, credited);
  const refundable = payment?.status === 'succeeded' && payment.providerChargeId !== null;
  return {
    invoice,
    customer: row.customer,
    lines,
    payment,
    refunds: paymentRefunds,
    disputes: paymentDisputes,
    creditNotes: notes,
    audit,
    credited,
    creditable,
    allowed: {
      void: planStatusAction(invoice.status, 'void').kind === 'apply',
      markUncollectible: planStatusAction(invoice.status, 'mark_uncollectible').kind === 'apply',
      credit: creditable > 0,
      refund: creditable > 0 && refundable,
    },
  };
}
