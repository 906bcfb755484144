import Link from 'next/link';
import { desc } from 'drizzle-orm';
import { outboxEmails } from '@/db/schema';
import { requireRole } from '@/lib/auth/guards';
import { getRuntime } from '@/lib/runtime';

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
      <table className="w-full text-left text-sm">
        <thead className="border-b text-slate-500">
          <tr>
            <th className="py-2">Created</th>
            <th>To</th>
            <th>Subject</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
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
          {emails.length === 0 ? (
            <tr>
              <td colSpan={4} className="py-6 text-center text-slate-500">
                No emails yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
