/**
 * Outgoing email: written to the outbox table and sent by a job, in the same transaction, so an
 * email is never lost between the record that caused it and its delivery.
 */
import { and, eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Transporter } from 'nodemailer';
import type { Database, DbOrTx } from '@/db/client';
import { outboxEmails } from '@/db/schema';
import { enqueueMany, QUEUES } from '@/lib/jobs/queue';
import type { RenderedEmail } from './templates';

export async function queueEmail(tx: DbOrTx, boss: PgBoss, to: string, email: RenderedEmail): Promise<string> {
  const [id] = await queueEmails(tx, boss, [{ to, email }]);
  return id;
}

/** Several emails in two statements (the rows, then their jobs); ids in the order given. */
export async function queueEmails(tx: DbOrTx, boss: PgBoss, messages: ReadonlyArray<{ to: string; email: RenderedEmail }>): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = await tx
    .insert(outboxEmails)
    .values(messages.map(({ to, email }) => ({ to, subject: email.subject, text: email.text, html: email.html, template: email.template })))
    .returning({ id: outboxEmails.id });
  await enqueueMany(boss, tx, QUEUES.sendEmail, rows.map((row) => ({ data: { emailId: row.id }, singletonKey: row.id })));
  return rows.map((row) => row.id);
}

export interface SendEmailJob {
  emailId: string;
}

/**
 * Sends one outbox email. A repeat run for an email already sent does nothing; a failure is recorded
 * on the row and rethrown so the queue retries with backoff.
 */
export async function sendOutboxEmail(
  db: Database,
  mailer: { transport: Transporter; name: string; from: string },
  job: SendEmailJob,
): Promise<'sent' | 'already-sent' | 'missing'> {
  const [email] = await db.select().from(outboxEmails).where(eq(outboxEmails.id, job.emailId));
  if (!email) return 'missing';
  if (email.status === 'sent') return 'already-sent';
  try {
    const info = await mailer.transport.sendMail({
      from: mailer.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html ?? undefined,
      messageId: `<${email.id}@billing.local>`,
    });
    await db
      .update(outboxEmails)
      .set({ status: 'sent', attempts: email.attempts + 1, transport: mailer.name, messageId: info.messageId, sentAt: new Date(), lastError: null })
      .where(and(eq(outboxEmails.id, email.id), eq(outboxEmails.status, email.status)));
    return 'sent';
  } catch (error) {
    await db
      .update(outboxEmails)
      .set({ attempts: email.attempts + 1, lastError: (error as Error).message.slice(0, 500) })
      .where(eq(outboxEmails.id, email.id));
    throw error;
  }
}
