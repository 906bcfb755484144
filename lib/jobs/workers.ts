/** Job handlers, registered on a started queue: in the web process by default, or by `npm run worker`. */
import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { outboxEmails } from '@/db/schema';
import type { AppConfig } from '@/lib/config';
import { sendOutboxEmail, type SendEmailJob } from '@/lib/email/outbox';
import { createMailer } from '@/lib/email/transport';
import { log } from '@/lib/log';
import type { Gateways } from '@/lib/payments/gateways';
import { runBilling, sendTrialReminders } from '@/lib/invoices/billing-run';
import { chargeInvoices, type ChargeDeps, type ChargeInvoiceJob } from '@/lib/invoices/charge';
import { reconcileRecentPayments } from '@/lib/payments/reconcile';
import { processWebhookEvent } from '@/lib/webhooks/process';
import type { ProcessWebhookJob } from '@/lib/webhooks/receive';
import { QUEUES } from './queue';

// Emails, webhook processing and invoice charges wait mostly on other servers: batches processed
// concurrently, fetched back to back while the queue is full, each job succeeding or failing (and
// retrying) on its own.
const BATCH_WORKERS = {
  pollingIntervalSeconds: 0.5,
  includeMetadata: true,
  batchSize: 10,
  burstWhenBatchFull: true,
  perJobResults: true,
  localConcurrency: 2,
} as const;

export async function startWorkers(boss: PgBoss, db: Database, config: AppConfig, gateways: Gateways): Promise<void> {
  const mailer = createMailer(config);
  // In batches, each email succeeding or failing on its own: a failed one never resends the others.
  await boss.work<SendEmailJob, void, typeof BATCH_WORKERS>(QUEUES.sendEmail, BATCH_WORKERS, (jobs) =>
    Promise.all(
      jobs.map(async (job) => {
        try {
          const outcome = await sendOutboxEmail(db, mailer, job.data);
          log.debug('email job done', { emailId: job.data.emailId, outcome });
          return { id: job.id, status: 'completed' as const, output: { outcome } };
        } catch (error) {
          const lastAttempt = job.retryCount >= job.retryLimit;
          log.warn('email job failed', { emailId: job.data.emailId, attempt: job.retryCount + 1, lastAttempt, error });
          if (lastAttempt) await db.update(outboxEmails).set({ status: 'failed' }).where(eq(outboxEmails.id, job.data.emailId));
          return { id: job.id, status: 'failed' as const, output: { error: error instanceof Error ? error.message : String(error) } };
        }
      }),
    ),
  );

  await boss.work<ProcessWebhookJob, void, typeof BATCH_WORKERS>(QUEUES.processWebhook, BATCH_WORKERS, (jobs) =>
    Promise.all(
      jobs.map(async (job) => {
        const lastAttempt = job.retryCount >= job.retryLimit;
        try {
          const result = await processWebhookEvent({ db, gateways, boss, appUrl: config.appUrl, settings: config.billing }, job.data.eventRowId, { lastAttempt });
          return { id: job.id, status: 'completed' as const, output: { result } };
        } catch (error) {
          log.warn('webhook processing failed', { eventRowId: job.data.eventRowId, attempt: job.retryCount + 1, lastAttempt, error });
          return { id: job.id, status: 'failed' as const, output: { error: error instanceof Error ? error.message : String(error) } };
        }
      }),
    ),
  );

  const billing = { db, boss, gateways, appUrl: config.appUrl, tax: config.tax, settings: config.billing };
  // Every 15 minutes, renew what has fallen due (concurrent runs share the work; see runBilling).
  await boss.schedule(QUEUES.runBilling, '*/15 * * * *');
  await boss.work(QUEUES.runBilling, async () => {
    const now = new Date();
    const result = await runBilling(billing, now);
    const trialReminders = await sendTrialReminders(billing, now);
    log.info('billing run done', { ...result, trialReminders });
  });
  await workInvoiceCharges(boss, billing);

  // Every 10 minutes, across all worker processes once (pg-boss schedules are singletons).
  await boss.schedule(QUEUES.reconcilePayments, '*/10 * * * *');
  await boss.work(QUEUES.reconcilePayments, async () => {
    const result = await reconcileRecentPayments(db, gateways, new Date());
    log.info('payments reconciled', { ...result });
  });
}

// Charges are recorded set-wise per batch (chargeInvoices), so bigger batches cost less per charge.
const CHARGE_WORKERS = { ...BATCH_WORKERS, batchSize: 25 } as const;

/** A billing run queues one charge per renewal at once: fetched and charged in batches (chargeInvoices). */
export async function workInvoiceCharges(boss: PgBoss, deps: ChargeDeps): Promise<void> {
  await boss.work<ChargeInvoiceJob, void, typeof CHARGE_WORKERS>(QUEUES.chargeInvoice, CHARGE_WORKERS, async (jobs) => {
    const results = await chargeInvoices(deps, jobs.map((job) => job.data), new Date());
    return jobs.map((job, i) => {
      const result = results[i];
      if (result.status === 'fulfilled') return { id: job.id, status: 'completed' as const, output: { outcome: result.value } };
      const error: unknown = result.reason;
      log.warn('invoice charge failed', { ...job.data, attempt: job.retryCount + 1, error });
      return { id: job.id, status: 'failed' as const, output: { error: error instanceof Error ? error.message : String(error) } };
    });
  });
}
