import { notFound } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/guards';
import { InvoiceNotFoundError, invoiceDocument, type InvoiceDocument } from '@/lib/invoices/document';
import { presentInvoice } from '@/lib/invoices/presentation';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Invoice' };

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/billing/invoices/${encodeURIComponent(id)}`);
  const runtime = await getRuntime();
  let doc: InvoiceDocument;
  try {
    doc = await invoiceDocument(runtime.db, runtime.config.seller, user, id);
  } catch (error) {
    if (error instanceof InvoiceNotFoundError) notFound();
    throw error;
  }
  const p = presentInvoice(doc);
  return (
    <Card className="mx-auto max-w-3xl space-y-6">
      <header className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{p.title}</h1>
          <p className="text-sm text-slate-600">
            Issued {p.issued}
            {p.period ? ` · Period ${p.period}` : ''} · <span data-testid="invoice-status">{p.status}</span>
          </p>
        </div>
        <Button asChild variant="secondary">
          <a href={`/billing/invoices/${doc.invoice.id}/pdf`}>Download PDF</a>
        </Button>
      </header>
      <div className="grid grid-cols-2 gap-6 text-sm">
        <address className="not-italic">
          <p className="font-semibold">From</p>
          {p.seller.map((l) => (
            <p key={l}>{l}</p>
          ))}
        </address>
        <address className="not-italic">
          <p className="font-semibold">Bill to</p>
          {p.buyer.map((l) => (
            <p key={l}>{l}</p>
          ))}
        </address>
      </div>
      <table className="w-full text-sm">
        <tbody>
          {p.lines.map((line, i) => (
            <tr key={i} className="border-b border-slate-100">
              <td className="py-2">
                {line.description}
                {line.detail ? <p className="text-xs text-slate-500">{line.detail}</p> : null}
              </td>
              <td className="py-2 text-right">{line.amount}</td>
            </tr>
          ))}
          {p.totals.map((t) => (
            <tr key={t.label} className={t.strong ? 'font-semibold' : ''}>
              <td className="py-1 text-right">{t.label}</td>
              <td className="py-1 text-right" data-testid={`invoice-${t.label.toLowerCase().replace(/\W+/g, '-')}`}>
                {t.amount}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.creditNotes.length > 0 ? (
        <section className="space-y-2" aria-labelledby="credit-notes-heading">
          <h2 id="credit-notes-heading" className="text-sm font-semibold">
            Credit notes
          </h2>
          <table className="w-full text-sm">
            <tbody>
              {p.creditNotes.map((n) => (
                <tr key={n.number} className="border-b border-slate-100" data-testid="credit-note">
                  <td className="py-2">
                    <span className={n.void ? 'line-through' : ''}>{n.number}</span>
                    <p className="text-xs text-slate-500">{[n.issued, n.reason, n.settledBy, n.void ? 'void: nothing was credited' : null].filter(Boolean).join(' · ')}</p>
                  </td>
                  <td className={`py-2 text-right ${n.void ? 'text-slate-400 line-through' : ''}`}>{n.amount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {p.note ? <p className="text-xs text-slate-600">{p.note}</p> : null}
    </Card>
  );
}
