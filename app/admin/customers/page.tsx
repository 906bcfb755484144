import Link from 'next/link';
import { FilterButtons, Pager } from '@/components/admin/list-controls';
import { requireRole } from '@/lib/auth/guards';
import { customerListFilterSchema, listCustomersForAdmin } from '@/lib/customers/admin-queries';
import { displayDate } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { getRuntime } from '@/lib/runtime';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Customers' };

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireRole(['admin'], '/admin/customers');
  const filter = customerListFilterSchema.parse(await searchParams);
  const { db } = await getRuntime();
  const { customers, page, pageCount, total } = await listCustomersForAdmin(db, filter);
  const pageHref = (n: number) => `/admin/customers?${new URLSearchParams({ ...(filter.q ? { q: filter.q } : {}), page: String(n) })}`;
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Customers</h1>
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get" role="search">
        <label className="flex flex-col gap-1">
          Email or name
          <input name="q" defaultValue={filter.q ?? ''} placeholder="ada@example.com" className="h-9 w-72 rounded-md border border-slate-300 px-2" />
        </label>
        <FilterButtons label="Search" clearHref="/admin/customers" filtered={Boolean(filter.q)} />
      </form>
      <DataTable columns={['Customer', 'Subscriptions', 'Credit balance', 'Since']} empty={customers.length === 0 ? (filter.q ? `No customer matches “${filter.q}”.` : 'No customers yet.') : null}>
        {customers.map((c) => (
          <tr key={c.id} className="border-b border-slate-100 align-top" data-testid="customer">
            <td className="py-2">
              <Link className="text-brand-600 hover:underline" href={`/admin/customers/${c.id}`}>
                {c.email}
              </Link>
              {c.name ? <div className="text-slate-500">{c.name}</div> : null}
            </td>
            <td>
              {c.subscriptions.length > 0
                ? c.subscriptions.map((s) => (
                    <div key={s.id}>
                      {s.productName}: {s.status.replace('_', ' ')}
                    </div>
                  ))
                : c.canceledSubscriptions > 0
                  ? 'canceled'
                  : 'none'}
            </td>
            <td>{c.balances.length > 0 ? c.balances.map((b) => <div key={b.currency}>{formatMoney(b.amount, b.currency)}</div>) : '—'}</td>
            <td className="whitespace-nowrap">{displayDate(c.createdAt, 'short')}</td>
          </tr>
        ))}
      </DataTable>
      <Pager page={page} pageCount={pageCount} total={total} noun="customer" href={pageHref} />
    </div>
  );
}
