/**
 * Building an invoice in the caller's transaction: tax from the customer's address, the customer's
 * credit applied first, totals from the pure engine, the lines and the ledger entries, all or nothing;
 * `finalizeInvoices` then gives it its gapless number. A second invoice for the same subscription period is
 * refused by the database; this returns null for it and changes nothing.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { invoiceLines, invoices, type Customer, type Invoice } from '@/db/schema';
import { computeInvoiceTotals, money, type EpochMs, type InvoiceLine, type InvoiceTotals, type SellerTaxSettings, type TaxLine, type TaxResult } from '@/lib/billing';
import { taxContextFor, taxOn } from '@/lib/tax';
import { creditBalance, lockCustomer, recordBalanceTransaction } from './balance';
import { invoicePrefix, takeInvoiceNumbers } from './numbering';

export interface NewInvoice {
  customer: Customer;
  subscriptionId: string | null;
  billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual';
  currency: string;
  lines: readonly InvoiceLine[];
  period: { start: EpochMs; end: EpochMs } | null;
  /** The prices include tax (catalog `tax_behavior`). */
  taxInclusive: boolean;
  now: Date;
}

function lineRow(invoiceId: string, position: number, line: InvoiceLine) {
  return {
    invoiceId,
    position,
    kind: line.kind,
    description: line.description,
    priceId: line.priceId,
    quantity: line.quantity,
    unitAmount: line.unitAmount.amount,
    amount: line.amount.amount,
    periodStart: line.kind === 'one_time' ? null : new Date(line.period.start),
    periodEnd: line.kind === 'one_time' ? null : new Date(line.period.end),
  };
}

function taxRow(invoiceId: string, position: number, tax: TaxLine) {
  return {
    invoiceId,
    position,
    kind: 'tax' as const,
    description: tax.description,
    quantity: 1,
    unitAmount: tax.amount.amount,
    amount: tax.amount.amount,
    taxRateId: tax.taxRateId,
    taxPercentage: tax.percentage,
    taxJurisdiction: tax.jurisdiction,
    taxType: tax.type,
    taxInclusive: tax.inclusive,
  };
}

/**
 * What an invoice of these lines comes to for this customer now: tax from their address, then their
 * credit. The invoice and the portal's preview both use it, so the preview is what gets billed.
 */
export async function priceInvoice(tx: DbOrTx, seller: SellerTaxSettings, input: Pick<NewInvoice, 'customer' | 'currency' | 'lines' | 'taxInclusive' | 'now'>): Promise<{ tax: TaxResult; totals: InvoiceTotals }> {
  const { customer, currency, lines } = input;
  const tax = taxOn(await taxContextFor(tx, seller, customer), { currency, lines, inclusive: input.taxInclusive, at: input.now.getTime() });
  const startingCredit = await creditBalance(tx, customer.id, currency);
  return { tax, totals: computeInvoiceTotals({ currency, lines, taxes: tax.taxes, startingCredit: money(Math.max(0, startingCredit), currency) }) };
}

export async function createInvoice(tx: DbOrTx, seller: SellerTaxSettings, input: NewInvoice): Promise<Invoice | null> {
  const { customer, currency, now } = input;
  await lockCustomer(tx, customer.id);
  const { tax, totals } = await priceInvoice(tx, seller, input);

  const [draft] = await tx
    .insert(invoices)
    .values({
      customerId: customer.id,
      subscriptionId: input.subscriptionId,
      status: 'draft',
      billingReason: input.billingReason,
      currency: totals.currency,
      periodStart: input.period ? new Date(input.period.start) : null,
      periodEnd: input.period ? new Date(input.period.end) : null,
      subtotal: totals.subtotal.amount,
      discountTotal: totals.discountTotal.amount,
      taxTotal: totals.taxTotal.amount,
      total: totals.total.amount,
      creditApplied: totals.creditApplied.amount,
      amountDue: totals.amountDue.amount,
      customerSnapshot: { name: customer.billingName, email: customer.email, country: customer.country, region: customer.region, postalCode: customer.postalCode, taxId: customer.taxId },
      taxNote: tax.note,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!draft) return null;

  await tx.insert(invoiceLines).values([...input.lines.map((line, i) => lineRow(draft.id, i, line)), ...tax.taxes.map((t, i) => taxRow(draft.id, input.lines.length + i, t))]);
  await recordBalanceTransaction(tx, { customerId: customer.id, currency, amount: -totals.creditApplied.amount, type: 'applied_to_invoice', invoiceId: draft.id, description: 'Credit applied to an invoice', idempotencyKey: `invoice:${draft.id}:credit-applied` });
  await recordBalanceTransaction(tx, { customerId: customer.id, currency, amount: totals.creditGenerated.amount, type: 'invoice_overpayment', invoiceId: draft.id, description: 'Credits beyond the invoice total', idempotencyKey: `invoice:${draft.id}:credit-generated` });

  return draft;
}

/**
 * Numbers the drafts in the given order and makes each open, or paid when credit covered it. Call it
 * last in the transaction: the number's counter row stays locked until commit, so every finalization
 * waits for the one before it; one statement numbers the whole batch, so a batch waits once.
 */
export async function finalizeInvoices(tx: DbOrTx, drafts: readonly Invoice[], now: Date): Promise<Invoice[]> {
  if (drafts.length === 0) return [];
  const numbers = await takeInvoiceNumbers(tx, invoicePrefix(now), drafts.length);
  const numberOf = sql.join(drafts.map((draft, i) => sql`when ${draft.id}::uuid then ${numbers[i]}`), sql` `);
  const settled = sql`${invoices.amountDue} = 0`;
  const finalized = await tx
    .update(invoices)
    .set({
      number: sql`case ${invoices.id} ${numberOf} end`,
      status: sql`case when ${settled} then 'paid'::invoice_status else 'open'::invoice_status end`,
      finalizedAt: now,
      paidAt: sql`case when ${settled} then ${now.toISOString()}::timestamptz end`,
      updatedAt: now,
    })
    .where(and(inArray(invoices.id, drafts.map((draft) => draft.id)), eq(invoices.status, 'draft')))
    .returning();
  if (finalized.length !== drafts.length) throw new Error(`finalizeInvoices: ${drafts.length - finalized.length} of the invoices were not drafts`);
  const byId = new Map(finalized.map((invoice) => [invoice.id, invoice]));
  return drafts.map((draft) => byId.get(draft.id)!);
}

export async function finalizeInvoice(tx: DbOrTx, draft: Invoice, now: Date): Promise<Invoice> {
  const [finalized] = await finalizeInvoices(tx, [draft], now);
  return finalized;
}
