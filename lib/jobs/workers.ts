/** Job handlers, registered on a started queue: in the web process by default, or by `npm run worker`. */
import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { outboxEmails } from '@/db/schema';
import type { AppConfig } from '@/lib/config';
import { sendOutboxEmail, type SendEmailJob } from '@/lib/email/outbox';
import { createMailer } from '@/lib/email/transport';
import { log } from '@/lib/log';
import { QUEUES } from './queue';

export async function startWorkers(boss: PgBoss, db: Database, config: AppConfig): Promise<void> {
  const mailer = createMailer(config);
  const options = { pollingIntervalSeconds: 1, includeMetadata: true } as const;
  await boss.work<SendEmailJob, void, typeof options>(QUEUES.sendEmail, options, async (jobs) => {
    for (const job of jobs) {
      try {
        const outcome = await sendOutboxEmail(db, mailer, job.data);
        log.info('email job done', { emailId: job.data.emailId, outcome });
      } catch (error) {
        const lastAttempt = job.retryCount >= job.retryLimit;
        log.warn('email job failed', { emailId: job.data.emailId, attempt: job.retryCount + 1, lastAttempt, error });
        if (lastAttempt) await db.update(outboxEmails).set({ status: 'failed' }).where(eq(outboxEmails.id, job.data.emailId));
        throw error;
      }
    }
  });
}
