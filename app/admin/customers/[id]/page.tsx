import { randomUUID } from 'node:crypto';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ApplyCouponForm } from '@/components/admin/coupon-forms';
import { GoodwillCreditForm } from '@/components/admin/goodwill-credit-form';
import { Card, CardTitle } from '@/components/ui/card';
import { requireRole } from '@/lib/auth/guards';
import { cadenceLabel } from '@/lib/billing-overview';
import { isCurrentSubscriptionStatus } from '@/lib/checkout/validate';
import { customerForAdmin } from '@/lib/customers/admin-queries';
import { displayDate } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { getRuntime } from '@/lib/runtime';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Customer' };

const date = (d: Date | null) => (d ? displayDate(d, 'short') : '—');
// Unknown types (added later) show as they are stored.
const LEDGER_TYPES: Record<string, string> = {
  downgrade_credit: 'Downgrade credit',
  goodwill_credit: 'Goodwill credit',
  applied_to_invoice: 'Applied to invoice',
  invoice_overpayment: 'Invoice overpayment',
  credit_note: 'Credit note',
  invoice_voided: 'Credit returned from a voided invoice',
};

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireRole(['admin'], `/admin/customers/${id}`);
  const { db } = await getRuntime();
  const detail = await customerForAdmin(db, id);
  if (!detail) notFound();
  const { customer, user } = detail;
  const address = [customer.addressLine1, customer.addressLine2, [customer.postalCode, customer.city].filter(Boolean).join(' '), customer.region, customer.country].filter(Boolean).join(', ');
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/customers" className="text-sm text-brand-600 hover:underline">
          ← Customers
        </Link>
        <h1 className="mt-1 text-3xl font-bold">{customer.billingName ?? user.name ?? customer.email}</h1>
        <p className="text-sm text-slate-600">
          {customer.email}
          {user.email !== customer.email ? ` (signs in as ${user.email})` : ''} · {user.role} · customer since {date(customer.createdAt)}
        </p>
        {address ? <p className="text-sm text-slate-600">{address}</p> : null}
        {customer.taxId ? <p className="text-sm text-slate-600">Tax id {customer.taxId}</p> : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle>Credit balance</CardTitle>
          {detail.balances.length > 0 ? (
            <ul className="mt-2 text-lg font-semibold" aria-label="Credit balance">
              {detail.balances.map((b) => (
                <li key={b.currency}>{formatMoney(b.amount, b.currency)}</li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-slate-600">No credit.</p>
          )}
          <p className="mt-2 text-xs text-slate-500">Credit is used first on the customer’s next invoices in the same currency.</p>
        </Card>
        <Card>
          <CardTitle>Grant a goodwill credit</CardTitle>
          <div className="mt-3">
            <GoodwillCreditForm customerId={customer.id} currencies={detail.creditCurrencies} idempotencyKey={randomUUID()} />
          </div>
        </Card>
      </div>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Subscriptions</h2>
        <DataTable columns={['Plan', 'Status', 'Current period', 'Price']} empty={detail.subscriptions.length === 0 ? 'No subscriptions.' : null}>
          {detail.subscriptions.map((s) => (
            <tr key={s.id} className="border-b border-slate-100 align-top" data-testid="subscription">
              <td className="py-2">
                {s.productName}
                {s.perSeat ? ` × ${s.quantity} seats` : ''}
                <div className="font-mono text-xs text-slate-400">{s.id}</div>
                {s.couponCode ? (
                  <div className="text-xs text-slate-600" data-testid="subscription-coupon">
                    Coupon {s.couponCode}
                  </div>
                ) : isCurrentSubscriptionStatus(s.status) ? (
                  <ApplyCouponForm customerId={customer.id} subscriptionId={s.id} />
                ) : null}
              </td>
              <td>
                {s.status.replace('_', ' ')}
                {s.status === 'past_due' && s.pastDueSince ? <div className="text-xs text-slate-500">since {date(s.pastDueSince)}</div> : null}
                {s.cancelAtPeriodEnd && s.status !== 'canceled' ? <div className="text-xs text-slate-500">ends with the period</div> : null}
                {s.status === 'trialing' && s.trialEnd ? <div className="text-xs text-slate-500">trial until {date(s.trialEnd)}</div> : null}
                {s.status === 'canceled' ? <div className="text-xs text-slate-500">ended {date(s.endedAt)}</div> : null}
                {s.scheduledPriceId || s.scheduledQuantity ? <div className="text-xs text-slate-500">change scheduled for {date(s.currentPeriodEnd)}</div> : null}
              </td>
              <td className="whitespace-nowrap">
                {date(s.currentPeriodStart)} – {date(s.currentPeriodEnd)}
              </td>
              <td className="whitespace-nowrap">
                {formatMoney(s.unitAmount, s.currency)}
                {s.perSeat ? ' per seat' : ''}
                {s.interval && s.intervalCount ? `, ${cadenceLabel(s.interval, s.intervalCount)}` : ''} · {s.provider}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Invoices</h2>
        <DataTable columns={['Invoice', 'Status', 'Total', 'Credit applied', 'Due', 'Paid', 'Date']} empty={detail.invoices.length === 0 ? 'No invoices.' : null}>
          {detail.invoices.map((i) => (
            <tr key={i.id} className="border-b border-slate-100" data-testid="invoice">
              <td className="py-2">
                <Link className="text-brand-600 hover:underline" href={`/admin/invoices/${i.id}`}>
                  {i.number ?? 'Draft'}
                </Link>
              </td>
              <td>{i.status}</td>
              <td>{formatMoney(i.total, i.currency)}</td>
              <td>{i.creditApplied > 0 ? formatMoney(i.creditApplied, i.currency) : '—'}</td>
              <td>{formatMoney(i.amountDue, i.currency)}</td>
              <td>{formatMoney(i.amountPaid, i.currency)}</td>
              <td className="whitespace-nowrap">{date(i.finalizedAt ?? i.createdAt)}</td>
            </tr>
          ))}
        </DataTable>
        {detail.moreInvoices ? <p className="text-xs text-slate-500">The newest {detail.invoices.length} invoices are shown; the rest are under Invoices.</p> : null}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Credit ledger</h2>
        <table className="w-full text-left text-sm">
          <thead className="border-b text-slate-500">
            <tr>
              <th className="py-2">Date</th>
              <th>Entry</th>
              <th className="text-right">Amount</th>
              <th className="pl-4">Description</th>
            </tr>
          </thead>
          <tbody>
            {detail.ledger.map((t) => (
              <tr key={t.id} className="border-b border-slate-100 align-top" data-testid="ledger-entry">
                <td className="py-2 whitespace-nowrap">{t.createdAt.toISOString().replace('T', ' ').slice(0, 16)}</td>
                <td>
                  {LEDGER_TYPES[t.type] ?? t.type}
                  {t.invoiceId ? (
                    <>
                      {' · '}
                      <Link className="text-brand-600 hover:underline" href={`/admin/invoices/${t.invoiceId}`}>
                        invoice
                      </Link>
                    </>
                  ) : null}
                </td>
                <td className={`text-right whitespace-nowrap ${t.amount < 0 ? 'text-slate-600' : 'text-green-700'}`}>{formatMoney(t.amount, t.currency)}</td>
                <td className="max-w-md pl-4 break-words">{t.description}</td>
              </tr>
            ))}
            {detail.ledger.length === 0 ? (
              <tr>
                <td colSpan={4} className="py-4 text-center text-slate-500">
                  No credit entries.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        {detail.moreLedger ? <p className="text-xs text-slate-500">The newest {detail.ledger.length} entries are shown.</p> : null}
      </section>
    </div>
  );
}
