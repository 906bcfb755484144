import { randomUUID } from 'node:crypto';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Card, CardTitle } from '@/components/ui/card';
import { requireRole } from '@/lib/auth/guards';
import { formatMoney, money } from '@/lib/billing';
import { invoiceForAdmin } from '@/lib/invoices/admin-queries';
import { CREDIT_NOTE_REASON_LABELS, CREDIT_NOTE_REASONS } from '@/lib/invoices/correction-rules';
import { getRuntime } from '@/lib/runtime';
import { CreditToBalanceForm, RefundForm, StatusActionButtons } from './action-forms';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Invoice' };

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : '');
const REASONS = CREDIT_NOTE_REASONS.map((value) => ({ value, label: CREDIT_NOTE_REASON_LABELS[value] }));

export default async function AdminInvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireRole(['admin'], `/admin/invoices/${encodeURIComponent(id)}`);
  const { db } = await getRuntime();
  const detail = await invoiceForAdmin(db, id);
  if (!detail) notFound();
  const { invoice, customer, lines, payment, refunds, disputes, creditNotes, audit, allowed } = detail;
  const m = (amount: number) => formatMoney(money(amount, invoice.currency));
  const summary: Array<[string, string]> = [
    ['Total', m(invoice.total)],
    ['Credit applied', m(invoice.creditApplied)],
    ['Amount due', m(invoice.amountDue)],
    ['Amount paid', m(invoice.amountPaid)],
    ['Amount credited', m(detail.credited)],
    ['Left to credit', m(detail.creditable)],
  ];
  return (
    <div className="space-y-8">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm">
            <Link href="/admin/invoices" className="text-brand-600 hover:underline">
              Invoices
            </Link>
          </p>
          <h1 className="text-3xl font-bold">Invoice {invoice.number ?? '(draft)'}</h1>
          <p className="text-sm text-slate-600">
            <span data-testid="admin-invoice-status">{invoice.status}</span> · {customer.name ? `${customer.name}, ` : ''}
            {customer.email} · {invoice.billingReason.replace(/_/g, ' ')}
            {invoice.periodStart && invoice.periodEnd ? ` · ${when(invoice.periodStart).slice(0, 10)} – ${when(invoice.periodEnd).slice(0, 10)}` : ''}
          </p>
        </div>
        {invoice.status !== 'draft' ? (
          <div className="flex gap-3 text-sm">
            <Link className="text-brand-600 hover:underline" href={`/billing/invoices/${invoice.id}`}>
              Customer view
            </Link>
            <a className="text-brand-600 hover:underline" href={`/billing/invoices/${invoice.id}/pdf`}>
              PDF
            </a>
          </div>
        ) : null}
      </header>

      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        {summary.map(([label, value]) => (
          <Card key={label} className="p-4">
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="mt-1 font-semibold" data-testid={`admin-invoice-${label.toLowerCase().replace(/\W+/g, '-')}`}>
              {value}
            </dd>
          </Card>
        ))}
      </dl>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Lines</h2>
        <DataTable columns={['Description', 'Kind', { label: 'Quantity', align: 'right' }, { label: 'Amount', align: 'right' }]}>
          {lines.map((l) => (
            <tr key={l.id} className="border-b border-slate-100">
              <td className="py-2">{l.description}</td>
              <td>{l.kind}</td>
              <td className="text-right">{l.quantity}</td>
              <td className="text-right">{l.kind === 'discount' ? `−${m(l.amount)}` : m(l.amount)}</td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Payment</h2>
        {payment ? (
          <dl className="grid grid-cols-[10rem_1fr] gap-1 text-sm">
            <dt className="text-slate-500">Provider</dt>
            <dd>{payment.provider}</dd>
            <dt className="text-slate-500">Status</dt>
            <dd>
              {payment.status}
              {payment.failureMessage ? ` (${payment.failureMessage})` : ''}
            </dd>
            <dt className="text-slate-500">Amount</dt>
            <dd>{formatMoney(money(payment.amount, payment.currency))}</dd>
            <dt className="text-slate-500">Provider ids</dt>
            <dd className="font-mono text-xs">
              {payment.providerPaymentId}
              {payment.providerChargeId ? ` / ${payment.providerChargeId}` : ''}
            </dd>
            <dt className="text-slate-500">Method</dt>
            <dd>{payment.paymentMethod ? (payment.paymentMethod.type === 'card' ? `${payment.paymentMethod.brand} •••• ${payment.paymentMethod.last4}` : `PayPal ${payment.paymentMethod.email ?? ''}`) : '—'}</dd>
          </dl>
        ) : (
          <p className="text-sm text-slate-500">No payment: {invoice.amountDue === 0 ? 'credit covered the invoice.' : 'not charged yet.'}</p>
        )}
        {refunds.length > 0 ? (
          <DataTable columns={['Refund', 'Status', 'Reason', { label: 'Amount', align: 'right' }]}>
            {refunds.map((r) => (
              <tr key={r.id} className="border-b border-slate-100">
                <td className="py-2 font-mono text-xs">{r.providerRefundId}</td>
                <td>
                  {r.status}
                  {r.failureReason ? ` (${r.failureReason})` : ''}
                </td>
                <td>{r.reason ?? ''}</td>
                <td className="text-right">{formatMoney(money(r.amount, r.currency))}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
        {disputes.length > 0 ? (
          <ul className="text-sm">
            {disputes.map((d) => (
              <li key={d.id}>
                Dispute {d.providerDisputeId}: {d.status}, {formatMoney(money(d.amount, d.currency))}
                {d.reason ? ` (${d.reason})` : ''}
                {d.evidenceDueBy && !d.closedAt ? `, evidence due ${when(d.evidenceDueBy)}` : ''}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Credit notes</h2>
        {creditNotes.length === 0 ? (
          <p className="text-sm text-slate-500">None.</p>
        ) : (
          <DataTable columns={['Number', 'Issued', 'Status', 'Reason', 'Settled', 'Memo', { label: 'Amount', align: 'right' }]}>
            {creditNotes.map((n) => (
              <tr key={n.id} className="border-b border-slate-100 align-top" data-testid="admin-credit-note">
                <td className="py-2 font-mono text-xs">{n.number}</td>
                <td>{when(n.createdAt)}</td>
                <td>{n.status}</td>
                <td>{n.reason ? CREDIT_NOTE_REASON_LABELS[n.reason] : ''}</td>
                <td>{n.settlement === 'refund' ? 'Refund' : 'Credit balance'}</td>
                <td className="max-w-xs break-words text-xs">{n.memo ?? ''}</td>
                <td className="text-right">{m(n.amount)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section className="space-y-4">
        <h2 className="text-lg font-semibold">Actions</h2>
        <StatusActionButtons invoiceId={invoice.id} number={invoice.number ?? ''} canVoid={allowed.void} canMarkUncollectible={allowed.markUncollectible} />
        {allowed.credit ? (
          <div className="grid gap-6 md:grid-cols-2">
            <Card className="space-y-3">
              <CardTitle>Credit to the customer&apos;s balance</CardTitle>
              <p className="text-sm text-slate-600">Issues a credit note; the next invoices use the credit first.</p>
              <CreditToBalanceForm invoiceId={invoice.id} currency={invoice.currency} creditable={m(detail.creditable)} requestKey={randomUUID()} reasons={REASONS} />
            </Card>
            <Card className="space-y-3">
              <CardTitle>Refund through {payment?.provider === 'paypal' ? 'PayPal' : 'Stripe'}</CardTitle>
              {allowed.refund ? (
                <>
                  <p className="text-sm text-slate-600">Refunds the payment, whole or in part, and issues a credit note for it.</p>
                  <RefundForm invoiceId={invoice.id} currency={invoice.currency} creditable={m(detail.creditable)} requestKey={randomUUID()} reasons={REASONS} />
                </>
              ) : (
                <p className="text-sm text-slate-500">There is no card or PayPal payment on this invoice to refund.</p>
              )}
            </Card>
          </div>
        ) : (
          <p className="text-sm text-slate-500">{invoice.status === 'paid' ? 'Everything paid on this invoice has been credited.' : 'Credit notes and refunds apply to paid invoices.'}</p>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Audit trail</h2>
        <DataTable columns={['When', 'Who', 'What', 'Change']} empty={audit.length === 0 ? 'No entries.' : null}>
          {audit.map((a) => (
            <tr key={a.id} className="border-b border-slate-100 align-top">
              <td className="py-2 whitespace-nowrap">{when(a.createdAt)}</td>
              <td>
                {a.actorType}
                {a.actorId ? <div className="font-mono text-xs text-slate-500">{a.actorId}</div> : null}
              </td>
              <td className="font-mono text-xs">{a.action}</td>
              <td className="max-w-md break-words font-mono text-xs text-slate-600">
                {a.before ? `${JSON.stringify(a.before)} → ` : ''}
                {a.after ? JSON.stringify(a.after) : ''}
                {a.metadata ? <div className="text-slate-400">{JSON.stringify(a.metadata)}</div> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
    </div>
  );
}
