/** What an invoice says, in words and formatted amounts, with its credit notes: one model for the HTML view and the PDF. */
import { formatMoney, money } from '@/lib/billing';
import type { InvoiceCreditNote, InvoiceDocument } from './document';
import { displayDate } from '@/lib/format';
import { CREDIT_NOTE_REASON_LABELS, creditedAmount } from './correction-rules';

export interface InvoicePresentation {
  title: string;
  number: string;
  status: string;
  issued: string;
  period: string | null;
  seller: string[];
  buyer: string[];
  lines: Array<{ description: string; detail: string; amount: string }>;
  totals: Array<{ label: string; amount: string; strong?: boolean }>;
  /** Corrections issued since, oldest first; a void one credited nothing (its refund failed). */
  creditNotes: Array<{ number: string; issued: string; amount: string; reason: string | null; settledBy: string; void: boolean }>;
  note: string | null;
}

function settledBy(note: InvoiceCreditNote): string {
  if (note.settlement === 'credit_balance') return 'Added to account credit';
  return note.refundProvider === 'paypal' ? 'Refunded to PayPal' : 'Refunded to card';
}

export function presentInvoice(doc: InvoiceDocument): InvoicePresentation {
  const { invoice, lines, seller } = doc;
  const m = (amount: number) => formatMoney(money(amount, invoice.currency));
  const buyer = invoice.customerSnapshot;
  const items = lines.filter((l) => l.kind !== 'tax' && l.kind !== 'discount');
  const discounts = lines.filter((l) => l.kind === 'discount');
  const taxes = lines.filter((l) => l.kind === 'tax');
  const credited = creditedAmount(doc.creditNotes);
  return {
    title: `Invoice ${invoice.number}`,
    number: invoice.number ?? '',
    status: invoice.status,
    issued: displayDate(invoice.finalizedAt ?? invoice.createdAt),
    period: invoice.periodStart && invoice.periodEnd ? `${displayDate(invoice.periodStart)} – ${displayDate(invoice.periodEnd)}` : null,
    seller: [seller.name, ...seller.address, ...(seller.taxId ? [`Tax id ${seller.taxId}`] : [])],
    buyer: [buyer.name ?? buyer.email, buyer.email, [buyer.postalCode, buyer.region, buyer.country].filter(Boolean).join(' '), ...(buyer.taxId ? [`VAT id ${buyer.taxId}`] : [])].filter(Boolean),
    lines: items.map((l) => ({
      description: l.description,
      detail: [l.quantity > 1 ? `${l.quantity} × ${m(l.unitAmount)}` : null, l.periodStart && l.periodEnd ? `${displayDate(l.periodStart)} – ${displayDate(l.periodEnd)}` : null].filter(Boolean).join(', '),
      amount: m(l.amount),
    })),
    totals: [
      { label: 'Subtotal', amount: m(invoice.subtotal) },
      ...discounts.map((d) => ({ label: d.description, amount: `−${m(d.amount)}` })),
      ...taxes.map((t) => ({ label: `${t.description}${t.taxInclusive ? ' (included)' : ''}`, amount: m(t.amount) })),
      { label: 'Total', amount: m(invoice.total), strong: true },
      ...(invoice.creditApplied > 0 ? [{ label: 'Credit applied', amount: `−${m(invoice.creditApplied)}` }] : []),
      { label: 'Amount due', amount: m(invoice.amountDue) },
      { label: 'Amount paid', amount: m(invoice.amountPaid) },
      { label: 'Amount remaining', amount: m(invoice.amountDue - invoice.amountPaid), strong: true },
      ...(doc.creditNotes.length > 0
        ? [
            { label: 'Amount credited', amount: credited > 0 ? `−${m(credited)}` : m(0) },
            { label: 'Net after credit notes', amount: m(invoice.total - credited), strong: true },
          ]
        : []),
    ],
    creditNotes: doc.creditNotes.map((n) => ({
      number: n.number,
      issued: displayDate(n.createdAt),
      amount: `−${m(n.amount)}`,
      reason: n.reason ? CREDIT_NOTE_REASON_LABELS[n.reason] : null,
      settledBy: settledBy(n),
      void: n.status === 'void',
    })),
    note: invoice.taxNote,
  };
}
