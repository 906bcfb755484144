import Link from 'next/link';
import { FilterButtons, Pager, StatusSelect } from '@/components/admin/list-controls';
import { requireRole } from '@/lib/auth/guards';
import { formatMoney, money } from '@/lib/billing';
import { adminInvoiceFilterSchema, INVOICE_STATUSES, listInvoicesForAdmin, type AdminInvoiceFilter } from '@/lib/invoices/admin-queries';
import { getRuntime } from '@/lib/runtime';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Invoices' };

/** The list's URL with the same filter on another page. */
function pageHref(filter: AdminInvoiceFilter, page: number): string {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.q) params.set('q', filter.q);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/admin/invoices?${query}` : '/admin/invoices';
}

export default async function AdminInvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireRole(['admin'], '/admin/invoices');
  const filter = adminInvoiceFilterSchema.parse(await searchParams);
  const { db } = await getRuntime();
  const { invoices, page, pageCount, total, statusCounts } = await listInvoicesForAdmin(db, filter);
  const m = (amount: number, currency: string) => formatMoney(money(amount, currency));
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Invoices</h1>
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get">
        <StatusSelect statuses={INVOICE_STATUSES} value={filter.status} counts={statusCounts} />
        <label className="flex flex-col gap-1">
          Number or customer email
          <input name="q" defaultValue={filter.q ?? ''} placeholder="INV-2026-000123 or ada@example.com" className="h-9 w-72 rounded-md border border-slate-300 px-2" />
        </label>
        <FilterButtons label="Filter" clearHref="/admin/invoices" filtered={Boolean(filter.q || filter.status)} />
      </form>
      <DataTable columns={['Number', 'Customer', 'Status', { label: 'Total', align: 'right' }, { label: 'Paid', align: 'right' }, { label: 'Credited', align: 'right' }, 'Created']} empty={invoices.length === 0 ? 'No invoices match.' : null}>
        {invoices.map((i) => (
          <tr key={i.id} className="border-b border-slate-100" data-testid="admin-invoice">
            <td className="py-2 font-mono text-xs">
              <Link className="text-brand-600 hover:underline" href={`/admin/invoices/${i.id}`}>
                {i.number ?? '(draft)'}
              </Link>
            </td>
            <td>{i.customerEmail}</td>
            <td>{i.status}</td>
            <td className="text-right">{m(i.total, i.currency)}</td>
            <td className="text-right">{m(i.amountPaid, i.currency)}</td>
            <td className="text-right">{i.credited > 0 ? m(i.credited, i.currency) : ''}</td>
            <td className="whitespace-nowrap">{i.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
          </tr>
        ))}
      </DataTable>
      <Pager page={page} pageCount={pageCount} total={total} noun="invoice" href={(n) => pageHref(filter, n)} />
    </div>
  );
}
