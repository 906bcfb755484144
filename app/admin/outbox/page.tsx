import Link from 'next/link';
import { desc } from 'drizzle-orm';
import { outboxEmails } from '@/db/schema';
import { requireRole } from '@/lib/auth/guards';
import { getRuntime } from '@/lib/runtime';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Outbox' };

export default async function OutboxPage() {
  await requireRole(['admin'], '/admin/outbox');
  const { db, config } = await getRuntime();
  const emails = await db
    .select({ id: outboxEmails.id, to: outboxEmails.to, subject: outboxEmails.subject, status: outboxEmails.status, createdAt: outboxEmails.createdAt })
    .from(outboxEmails)
    .orderBy(desc(outboxEmails.createdAt))
    .limit(100);
  return (
    <div className="space-y-4">
      <h1 className="text-3xl font-bold">Outbox</h1>
      <p className="text-sm text-slate-600">
        {config.smtpUrl ? 'Emails are sent through SMTP; this is the record of each.' : 'No SMTP_URL is set: emails stay here instead of being sent.'}
      </p>
      <DataTable columns={['Created', 'To', 'Subject', 'Status']} empty={emails.length === 0 ? 'No emails yet.' : null}>
        {emails.map((email) => (
          <tr key={email.id} className="border-b border-slate-100">
            <td className="py-2">{email.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
            <td>{email.to}</td>
            <td>
              <Link className="text-brand-600 hover:underline" href={`/admin/outbox/${email.id}`}>
                {email.subject}
              </Link>
            </td>
            <td>{email.status}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
