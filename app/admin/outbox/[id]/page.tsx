import { eq } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { Card } from '@/components/ui/card';
import { outboxEmails } from '@/db/schema';
import { requireRole } from '@/lib/auth/guards';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Email' };

export default async function OutboxEmailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireRole(['admin'], `/admin/outbox/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const { db } = await getRuntime();
  const [email] = await db.select().from(outboxEmails).where(eq(outboxEmails.id, id));
  if (!email) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{email.subject}</h1>
      <dl className="grid grid-cols-[8rem_1fr] gap-1 text-sm">
        <dt className="text-slate-500">To</dt>
        <dd>{email.to}</dd>
        <dt className="text-slate-500">Status</dt>
        <dd>
          {email.status} {email.transport ? `(${email.transport})` : ''} after {email.attempts} attempt(s)
        </dd>
        {email.lastError ? (
          <>
            <dt className="text-slate-500">Last error</dt>
            <dd>{email.lastError}</dd>
          </>
        ) : null}
      </dl>
      <Card>
        <pre data-testid="email-text" className="whitespace-pre-wrap font-sans text-sm">
          {email.text}
        </pre>
      </Card>
    </div>
  );
}
