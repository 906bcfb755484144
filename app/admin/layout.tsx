import Link from 'next/link';
import type { ReactNode } from 'react';
import { requireRole } from '@/lib/auth/guards';

export const dynamic = 'force-dynamic';

// Every admin page renders under this layout, so the role check runs on the server before any of them.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireRole(['admin'], '/admin');
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <nav aria-label="Admin" className="flex flex-col gap-1 text-sm">
        <Link className="rounded px-2 py-1 hover:bg-slate-100" href="/admin">
          Overview
        </Link>
        <Link className="rounded px-2 py-1 hover:bg-slate-100" href="/admin/customers">
          Customers
        </Link>
        <Link className="rounded px-2 py-1 hover:bg-slate-100" href="/admin/invoices">
          Invoices
        </Link>
        <Link className="rounded px-2 py-1 hover:bg-slate-100" href="/admin/coupons">
          Coupons
        </Link>
        <Link className="rounded px-2 py-1 hover:bg-slate-100" href="/admin/api-keys">
          API keys
        </Link>
        <Link className="rounded px-2 py-1 hover:bg-slate-100" href="/admin/webhooks">
          Webhooks
        </Link>
        <Link className="rounded px-2 py-1 hover:bg-slate-100" href="/admin/outbox">
          Outbox
        </Link>
      </nav>
      <div>{children}</div>
    </div>
  );
}
