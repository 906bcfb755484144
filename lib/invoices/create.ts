/**
 * Building an invoice in the caller's transaction: its coupon's discount, tax on the discounted lines
 * from the customer's address, the customer's credit applied first, totals from the pure engine, the
 * lines and the ledger entries, all or nothing; `finalizeInvoices` then gives it its gapless number.
 * A second invoice for the same subscription period is refused by the database; this returns null
 * for it and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { customerBalanceTransactions, customers, invoiceLines, invoices, prices, type Customer, type Invoice } from '@/db/schema';
import { computeInvoiceTotals, invoiceDiscount, money, type CouponDefinition, type DiscountLine, type EpochMs, type InvoiceLine, type InvoiceTotals, type SellerTaxSettings, type TaxLine, type TaxResult } from '@/lib/billing';
import { taxContextFor, taxContextsFor, taxOn, type TaxContext } from '@/lib/tax';
import { creditBalance } from './balance';
import { invoicePrefix, takeInvoiceNumbers } from './numbering';

export interface NewInvoice {
  customer: Customer;
  subscriptionId: string | null;
  billingReason: Invoice['billingReason'];
  currency: string;
  lines: readonly InvoiceLine[];
  period: { start: EpochMs; end: EpochMs } | null;
  /** The prices include tax (catalog `tax_behavior`). */
  taxInclusive: boolean;
  /** The coupon discounting this invoice (the caller decides whether its duration covers it). */
  coupon?: CouponDefinition | null;
  now: Date;
}

/** Each line price's product, for coupons restricted to some plans; read only when a coupon is. */
async function productsOfPrices(tx: DbOrTx, inputs: ReadonlyArray<Pick<NewInvoice, 'lines' | 'coupon'>>): Promise<Map<string, string>> {
  const priceIds = [...new Set(inputs.filter((input) => input.coupon?.productIds).flatMap((input) => input.lines.flatMap((line) => (line.priceId ? [line.priceId] : []))))];
  if (priceIds.length === 0) return new Map();
  return new Map((await tx.select({ id: prices.id, productId: prices.productId }).from(prices).where(inArray(prices.id, priceIds))).map((row) => [row.id, row.productId]));
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

function discountRow(invoiceId: string, position: number, discount: DiscountLine) {
  return { invoiceId, position, kind: 'discount' as const, description: discount.description, quantity: 1, unitAmount: discount.amount.amount, amount: discount.amount.amount };
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

interface PricedInvoice {
  discounts: DiscountLine[];
  tax: TaxResult;
  totals: InvoiceTotals;
}

/** What an invoice of these lines comes to, given its coupon, the customer's tax context and credit. Pure. */
function price(context: TaxContext | null, startingCredit: number, productOf: ReadonlyMap<string, string>, input: Pick<NewInvoice, 'currency' | 'lines' | 'taxInclusive' | 'coupon' | 'now'>): PricedInvoice {
  const { currency, lines } = input;
  const discount = input.coupon ? invoiceDiscount(input.coupon, lines, productOf, currency) : null;
  const discounts = discount ? [discount] : [];
  const tax = taxOn(context, { currency, lines, discounts, inclusive: input.taxInclusive, at: input.now.getTime() });
  return { discounts, tax, totals: computeInvoiceTotals({ currency, lines, discounts, taxes: tax.taxes, startingCredit: money(Math.max(0, startingCredit), currency) }) };
}

/**
 * What an invoice of these lines comes to for this customer now: tax from their address, then their
 * credit. The invoice and the portal's preview both use it, so the preview is what gets billed.
 */
export async function priceInvoice(tx: DbOrTx, seller: SellerTaxSettings, input: Pick<NewInvoice, 'customer' | 'currency' | 'lines' | 'taxInclusive' | 'coupon' | 'now'>): Promise<PricedInvoice> {
  return price(await taxContextFor(tx, seller, input.customer), await creditBalance(tx, input.customer.id, input.currency), await productsOfPrices(tx, [input]), input);
}

export async function createInvoice(tx: DbOrTx, seller: SellerTaxSettings, input: NewInvoice): Promise<Invoice | null> {
  const [draft] = await createInvoices(tx, seller, [input]);
  return draft;
}

const ONE_PER_PERIOD: readonly NewInvoice['billingReason'][] = ['subscription_create', 'subscription_cycle'];

/**
 * Several drafts in a fixed number of statements, whatever their count: the customers locked (their
 * credit is spent here), tax rates and credit balances read once, then the invoices, their lines and
 * the ledger entries inserted. A customer with two invoices here spends their credit once. Null, in
 * the inputs' order, for a subscription period already invoiced.
 */
export async function createInvoices(tx: DbOrTx, seller: SellerTaxSettings, inputs: readonly NewInvoice[]): Promise<Array<Invoice | null>> {
  if (inputs.length === 0) return [];
  const customerIds = [...new Set(inputs.map((input) => input.customer.id))].sort();
  // In id order, so two transactions locking several customers cannot wait on each other in a circle.
  // NO KEY UPDATE: it serializes credit spending without blocking rows that merely reference the customer.
  await tx.select({ id: customers.id }).from(customers).where(inArray(customers.id, customerIds)).orderBy(asc(customers.id)).for('no key update');

  const periodKey = (subscriptionId: string, start: number) => `${subscriptionId}:${start}`;
  const periodic = inputs.filter((input) => input.subscriptionId && input.period && ONE_PER_PERIOD.includes(input.billingReason));
  const invoiced = new Set(
    periodic.length === 0
      ? []
      : (
          await tx
            .select({ subscriptionId: invoices.subscriptionId, periodStart: invoices.periodStart })
            .from(invoices)
            .where(and(inArray(invoices.subscriptionId, periodic.map((input) => input.subscriptionId!)), inArray(invoices.periodStart, periodic.map((input) => new Date(input.period!.start))), inArray(invoices.billingReason, [...ONE_PER_PERIOD])))
        ).map((row) => periodKey(row.subscriptionId!, row.periodStart!.getTime())),
  );

  const contexts = await taxContextsFor(tx, seller, inputs.map((input) => input.customer));
  const productOf = await productsOfPrices(tx, inputs);
  const creditKey = (customerId: string, currency: string) => `${customerId}:${currency}`;
  const credit = new Map(
    (
      await tx
        .select({ customerId: customerBalanceTransactions.customerId, currency: customerBalanceTransactions.currency, total: sql<string>`sum(${customerBalanceTransactions.amount})` })
        .from(customerBalanceTransactions)
        .where(inArray(customerBalanceTransactions.customerId, customerIds))
        .groupBy(customerBalanceTransactions.customerId, customerBalanceTransactions.currency)
    ).map((row) => [creditKey(row.customerId, row.currency), Number(row.total)]),
  );

  const drafts: Array<({ id: string; input: NewInvoice } & PricedInvoice) | null> = inputs.map((input, i) => {
    if (ONE_PER_PERIOD.includes(input.billingReason) && input.subscriptionId && input.period && invoiced.has(periodKey(input.subscriptionId, input.period.start))) return null;
    const key = creditKey(input.customer.id, input.currency);
    const priced = price(contexts[i], credit.get(key) ?? 0, productOf, input);
    credit.set(key, (credit.get(key) ?? 0) - priced.totals.creditApplied.amount + priced.totals.creditGenerated.amount);
    return { id: randomUUID(), input, ...priced };
  });
  const created = drafts.filter((draft) => draft !== null);
  if (created.length === 0) return inputs.map(() => null);

  const rows = await tx
    .insert(invoices)
    .values(
      created.map(({ id, input, tax, totals }) => ({
        id,
        customerId: input.customer.id,
        subscriptionId: input.subscriptionId,
        status: 'draft' as const,
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
        customerSnapshot: { name: input.customer.billingName, email: input.customer.email, country: input.customer.country, region: input.customer.region, postalCode: input.customer.postalCode, taxId: input.customer.taxId },
        taxNote: tax.note,
        createdAt: input.now,
        updatedAt: input.now,
      })),
    )
    .onConflictDoNothing()
    .returning();
  // The subscriptions are locked by the caller, so a period invoiced meanwhile means a caller forgot to:
  // roll back rather than spend credit twice.
  if (rows.length !== created.length) throw new Error(`createInvoices: ${created.length - rows.length} of the subscription periods were invoiced meanwhile`);

  await tx.insert(invoiceLines).values(
    created.flatMap(({ id, input, discounts, tax }) => [
      ...input.lines.map((line, i) => lineRow(id, i, line)),
      ...discounts.map((d, i) => discountRow(id, input.lines.length + i, d)),
      ...tax.taxes.map((t, i) => taxRow(id, input.lines.length + discounts.length + i, t)),
    ]),
  );
  const ledger = created.flatMap(({ id, input, totals }) => [
    { customerId: input.customer.id, currency: input.currency, amount: -totals.creditApplied.amount, type: 'applied_to_invoice' as const, invoiceId: id, description: 'Credit applied to an invoice', idempotencyKey: `invoice:${id}:credit-applied` },
    { customerId: input.customer.id, currency: input.currency, amount: totals.creditGenerated.amount, type: 'invoice_overpayment' as const, invoiceId: id, description: 'Credits beyond the invoice total', idempotencyKey: `invoice:${id}:credit-generated` },
  ]).filter((entry) => entry.amount !== 0);
  if (ledger.length > 0) await tx.insert(customerBalanceTransactions).values(ledger).onConflictDoNothing({ target: customerBalanceTransactions.idempotencyKey });

  const byId = new Map(rows.map((row) => [row.id, row]));
  return drafts.map((draft) => (draft ? byId.get(draft.id)! : null));
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
