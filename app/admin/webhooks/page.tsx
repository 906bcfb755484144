import { FilterButtons, StatusSelect } from '@/components/admin/list-controls';
import { ReplayDeadButton, ReplayEventButton } from '@/components/admin/replay-buttons';
import { requireRole } from '@/lib/auth/guards';
import { getRuntime } from '@/lib/runtime';
import { eventLogFilterSchema, listWebhookEvents } from '@/lib/webhooks/event-log';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Webhooks' };

const STATUSES = ['received', 'processing', 'processed', 'ignored', 'failed', 'dead'] as const;

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireRole(['admin'], '/admin/webhooks');
  const filter = eventLogFilterSchema.parse(await searchParams);
  const { db } = await getRuntime();
  const { events, statusCounts, rejections } = await listWebhookEvents(db, filter);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-3xl font-bold">Webhooks</h1>
        <ReplayDeadButton dead={statusCounts.dead ?? 0} />
      </div>
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get">
        <label className="flex flex-col gap-1">
          Provider
          <select name="provider" defaultValue={filter.provider ?? ''} className="h-9 rounded-md border border-slate-300 bg-white px-2">
            <option value="">All</option>
            <option value="stripe">Stripe</option>
            <option value="paypal">PayPal</option>
          </select>
        </label>
        <StatusSelect statuses={STATUSES} value={filter.status} counts={statusCounts} />
        <label className="flex flex-col gap-1">
          Type
          <input name="type" defaultValue={filter.type ?? ''} placeholder="payment_intent.succeeded" className="h-9 rounded-md border border-slate-300 px-2" />
        </label>
        <FilterButtons label="Filter" clearHref="/admin/webhooks" filtered={Boolean(filter.provider || filter.status || filter.type)} />
      </form>
      <DataTable columns={['Received', 'Provider', 'Type', 'Status', 'Attempts', 'Outcome or error', '']} empty={events.length === 0 ? 'No events match.' : null}>
        {events.map((e) => (
          <tr key={e.id} className="border-b border-slate-100 align-top" data-testid="webhook-event">
            <td className="py-2 whitespace-nowrap">{e.receivedAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
            <td>{e.provider}</td>
            <td className="font-mono text-xs">
              {e.type}
              <div className="text-slate-400">{e.eventId}</div>
            </td>
            <td>{e.status}</td>
            <td>{e.attempts}</td>
            <td className="max-w-md break-words text-xs">{e.lastError ?? e.outcome ?? ''}</td>
            <td>{e.status !== 'ignored' ? <ReplayEventButton id={e.id} /> : null}</td>
          </tr>
        ))}
      </DataTable>
      {rejections.length > 0 ? (
        <section>
          <h2 className="text-lg font-semibold">Refused requests</h2>
          <ul className="mt-2 text-sm text-slate-600">
            {rejections.map((r) => (
              <li key={`${r.provider}-${r.reason}`}>
                {r.provider}: {r.reason} — {r.count} (last {r.lastAt.toISOString().slice(0, 19).replace('T', ' ')})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
