/**
 * Charging an open invoice off-session with the customer's default payment method: a Stripe
 * PaymentIntent (`off_session`, confirmed at once) or an order on the saved PayPal account. The
 * provider call is keyed by invoice and attempt, so a retried job gets the same payment back. The
 * outcome is recorded in one transaction: the payment, the invoice, the subscription's state
 * (through the state machine), the audit entry and the email.
 *
 * Dunning: a failed scheduled attempt sets the invoice's next retry from the schedule
 * (lib/billing/dunning; the billing run queues it when due) or, after the last one, writes the
 * invoice off as uncollectible and cancels the subscription or leaves it unpaid (a setting). A card
 * the customer adds is charged at once, outside the schedule (`paymentMethodId` on the job).
 */
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '@/db/client';
import { customers, invoices, paymentMethods, payments, products, providerCustomers, refunds, subscriptions, type Invoice, type Payment, type Subscription } from '@/db/schema';
import { writeAudit, writeAudits } from '@/lib/audit';
import { formatMoney, formatUtcDate, money, nextDunningStep, transition, type DunningSettings } from '@/lib/billing';
import { queueEmail, queueEmails } from '@/lib/email/outbox';
import { dunningExhaustedEmail, invoiceEmail } from '@/lib/email/templates';
import { log } from '@/lib/log';
import { toMajorUnitString } from '@/lib/money';
import type { Gateways } from '@/lib/payments/gateways';
import { PaypalApiError } from '@/lib/payments/paypal/client';
import { recordPaymentReport, type PaymentReport } from '@/lib/payments/records';
import { paypalCaptureStatus } from '@/lib/payments/status';
import { cancelWaitingIntent, chargeCardOffSession } from '@/lib/payments/stripe/off-session';
import type { Runtime } from '@/lib/runtime';
import { syncRefundCreditNote } from './credit-notes';
import { stateColumns, subscriptionState } from '@/lib/subscriptions/state';

export interface ChargeDeps {
  db: Database;
  boss: PgBoss;
  gateways: Gateways;
  appUrl: string;
  settings: DunningSettings;
}


export interface ChargeInvoiceJob {
  invoiceId: string;
  /** The scheduled attempt (1 = the first charge, then the retries); its provider call is keyed by it, so a retried job cannot charge twice. */
  attempt: number;
  /** A retry the customer started by adding this saved method: charged with it, keyed by it, outside the schedule. */
  paymentMethodId?: string;
}

/** Who asked for the charge whose outcome is being recorded. */
type ChargeTrigger = { kind: 'scheduled'; attempt: number } | { kind: 'customer' } | { kind: 'provider' };

const triggerOf = (job: ChargeInvoiceJob): ChargeTrigger => (job.paymentMethodId ? { kind: 'customer' } : { kind: 'scheduled', attempt: job.attempt });

/** The provider idempotency key of a job's charge. */
function chargeKey(job: ChargeInvoiceJob, separator: ':' | '-'): string {
  const parts = job.paymentMethodId ? ['invoice', job.invoiceId, 'method', job.paymentMethodId] : ['invoice', job.invoiceId, 'attempt', String(job.attempt)];
  return parts.join(separator);
}

export function chargeDeps(runtime: Runtime): ChargeDeps {
  return { db: runtime.db, boss: runtime.boss, gateways: runtime.gateways, appUrl: runtime.config.appUrl, settings: runtime.config.billing };
}

/** How long a charge's claim on its invoice lasts: longer than a provider call, shorter than the job's retries. */
const CHARGE_CLAIM_MS = 2 * 60_000;

/** Claims these owed invoices for a charge starting at `now`; returns the ids claimed (not those another charge holds). */
async function claimInvoices(db: Database, invoiceIds: readonly string[], now: Date): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await db
    .update(invoices)
    .set({ chargeClaimedUntil: new Date(now.getTime() + CHARGE_CLAIM_MS) })
    .where(and(inArray(invoices.id, [...new Set(invoiceIds)]), or(isNull(invoices.chargeClaimedUntil), lte(invoices.chargeClaimedUntil, now))))
    .returning({ id: invoices.id });
  return new Set(rows.map((row) => row.id));
}

/** What is still owed: open invoices, and uncollectible ones (written off, yet payable, as at Stripe). */
const isOwed = (invoice: Invoice) => (invoice.status === 'open' || invoice.status === 'uncollectible') && invoice.amountDue - invoice.amountPaid > 0;

export type ChargeOutcome = 'paid' | 'failed' | 'action_required' | 'pending' | 'no_payment_method' | 'nothing_due';

interface PaypalOrder {
  id: string;
  status: string;
  purchase_units?: Array<{ payments?: { captures?: Array<{ id: string; status: string }> } }>;
}

async function chargeAtStripe(deps: ChargeDeps, invoice: Invoice, paymentMethodId: string, stripeCustomerId: string | null, idempotencyKey: string): Promise<PaymentReport> {
  if (!stripeCustomerId) throw new Error(`customer ${invoice.customerId} has a Stripe card but no Stripe customer`);
  return chargeCardOffSession(
    deps.gateways.stripe,
    { amount: invoice.amountDue - invoice.amountPaid, currency: invoice.currency, customer: stripeCustomerId, paymentMethod: paymentMethodId, description: `Invoice ${invoice.number}`, metadata: { invoiceId: invoice.id } },
    idempotencyKey,
  );
}

async function chargeAtPaypal(deps: ChargeDeps, invoice: Invoice, vaultId: string, requestId: string): Promise<PaymentReport> {
  const amount = invoice.amountDue - invoice.amountPaid;
  try {
    const created = await deps.gateways.paypal.request<PaypalOrder>('POST', '/v2/checkout/orders', {
      requestId,
      body: {
        intent: 'CAPTURE',
        purchase_units: [{ reference_id: 'default', custom_id: invoice.id, invoice_id: invoice.number, amount: { currency_code: invoice.currency, value: toMajorUnitString(amount, invoice.currency) } }],
        payment_source: { paypal: { vault_id: vaultId } },
      },
    });
    // The create answers with PayPal's minimal representation: read the order whole for its capture.
    const order = await deps.gateways.paypal.request<PaypalOrder>('GET', `/v2/checkout/orders/${encodeURIComponent(created.id)}`);
    const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
    return { provider: 'paypal', providerPaymentId: order.id, providerChargeId: capture?.id ?? null, status: capture ? paypalCaptureStatus(capture.status) : 'processing' };
  } catch (error) {
    if (error instanceof PaypalApiError && (error.issue === 'INSTRUMENT_DECLINED' || error.issue === 'PAYMENT_SOURCE_CANNOT_BE_USED')) {
      const issue = error.issue;
      // No order exists for a refused create: the attempt is recorded under its own key.
      return { provider: 'paypal', providerPaymentId: requestId, status: 'failed', failureCode: issue, failureMessage: 'PayPal declined the charge.' };
    }
    throw error;
  }
}

/** The job: charge the invoice's amount due once for this attempt and record what happened. */
export async function chargeInvoice(deps: ChargeDeps, job: ChargeInvoiceJob, now: Date): Promise<ChargeOutcome> {
  const [result] = await chargeInvoices(deps, [job], now);
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/**
 * A worker's batch of charge jobs: the invoices, default payment methods and Stripe customers read
 * in one statement, the provider calls made side by side, the payments that succeeded recorded
 * together in one transaction, and every other outcome recorded on its own as before. Results in the
 * jobs' order, each job succeeding or failing by itself.
 */
export async function chargeInvoices(deps: ChargeDeps, jobs: readonly ChargeInvoiceJob[], now: Date): Promise<Array<PromiseSettledResult<ChargeOutcome>>> {
  const latestPayment = alias(payments, 'latest_payment');
  const rows = await deps.db
    .select({ invoice: invoices, method: paymentMethods, stripeCustomerId: providerCustomers.providerCustomerId, latestPayment })
    .from(invoices)
    .leftJoin(paymentMethods, and(eq(paymentMethods.customerId, invoices.customerId), eq(paymentMethods.isDefault, true), isNull(paymentMethods.removedAt)))
    .leftJoin(providerCustomers, and(eq(providerCustomers.customerId, invoices.customerId), eq(providerCustomers.provider, 'stripe')))
    .leftJoin(latestPayment, eq(latestPayment.id, invoices.paymentId))
    .where(inArray(invoices.id, jobs.map((job) => job.invoiceId)));
  // The newest default method wins, as defaultPaymentMethod decides.
  const byInvoice = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const seen = byInvoice.get(row.invoice.id);
    if (!seen || (row.method && (!seen.method || row.method.createdAt > seen.method.createdAt))) byInvoice.set(row.invoice.id, row);
  }
  const chosenIds = jobs.flatMap((job) => (job.paymentMethodId ? [job.paymentMethodId] : []));
  const chosen = new Map((chosenIds.length ? await deps.db.select().from(paymentMethods).where(inArray(paymentMethods.id, chosenIds)) : []).map((m) => [m.id, m]));
  const claimed = await claimInvoices(deps.db, jobs.flatMap((job) => (byInvoice.get(job.invoiceId) && isOwed(byInvoice.get(job.invoiceId)!.invoice) ? [job.invoiceId] : [])), now);
  const taken = new Set<string>();

  type Charged = { kind: 'done'; outcome: ChargeOutcome } | { kind: 'charged'; job: ChargeInvoiceJob; report: PaymentReport | null };
  const charged = await Promise.allSettled(
    jobs.map(async (job): Promise<Charged> => {
      const row = byInvoice.get(job.invoiceId);
      if (!row) throw new Error(`no invoice ${job.invoiceId}`);
      const { invoice } = row;
      // Scheduled attempts charge open invoices only; a customer's new card may also pay one written off.
      if (!isOwed(invoice) || (invoice.status !== 'open' && !job.paymentMethodId)) return { kind: 'done', outcome: 'nothing_due' };
      // One charge of an invoice at a time (checked before any await, so two jobs of a batch cannot both pass).
      if (!claimed.has(invoice.id) || taken.has(invoice.id)) throw new Error(`invoice ${invoice.id} is being charged by another job; this one retries later`);
      taken.add(invoice.id);
      let method = row.method;
      if (job.paymentMethodId) {
        method = chosen.get(job.paymentMethodId) ?? null;
        if (!method || method.customerId !== invoice.customerId) throw new Error(`payment method ${job.paymentMethodId} is not one of invoice ${invoice.id}'s customer's`);
        if (method.removedAt) return { kind: 'done', outcome: 'no_payment_method' };
      }
      // The previous attempt's intent, if it still waits for the customer, is canceled first: an old pay-page tab must not charge again.
      const waiting = row.latestPayment;
      if (method && waiting?.provider === 'stripe' && (waiting.status === 'requires_action' || waiting.status === 'failed' || waiting.status === 'pending')) {
        const canceled = await cancelWaitingIntent(deps.gateways.stripe, waiting.providerPaymentId);
        if (canceled.status === 'succeeded' || canceled.status === 'processing') return { kind: 'charged', job, report: canceled };
      }
      const report = method
        ? method.provider === 'stripe'
          ? await chargeAtStripe(deps, invoice, method.providerPaymentMethodId, row.stripeCustomerId, chargeKey(job, ':'))
          : await chargeAtPaypal(deps, invoice, method.providerPaymentMethodId, chargeKey(job, '-'))
        : null;
      return { kind: 'charged', job, report };
    }),
  );
  // Claims of jobs that charged nothing (or failed before recording) are given back now; recorded ones are released by their record.
  const unrecorded = jobs.filter((job, i) => taken.has(job.invoiceId) && (charged[i].status === 'rejected' || (charged[i] as PromiseFulfilledResult<Charged>).value.kind === 'done'));
  if (unrecorded.length) await deps.db.update(invoices).set({ chargeClaimedUntil: null }).where(inArray(invoices.id, unrecorded.map((job) => job.invoiceId)));

  const succeeded = charged.flatMap((result) => (result.status === 'fulfilled' && result.value.kind === 'charged' && result.value.report?.status === 'succeeded' ? [{ job: result.value.job, report: result.value.report }] : []));
  // Should the batch fail (a payment a webhook recorded first, say), each is recorded on its own below.
  const recorded = succeeded.length > 1 ? await deps.db.transaction((tx) => recordPaidCharges(tx, deps, succeeded, now)).catch((error: unknown) => {
          log.warn('recording a batch of paid invoices failed; recording them one by one', { error });
          return new Set<string>();
        }) : new Set<string>();

  return Promise.all(
    charged.map(async (result): Promise<PromiseSettledResult<ChargeOutcome>> => {
      if (result.status === 'rejected') return result;
      if (result.value.kind === 'done') return { status: 'fulfilled', value: result.value.outcome };
      const { job, report } = result.value;
      if (recorded.has(job.invoiceId)) return { status: 'fulfilled', value: 'paid' };
      try {
        return { status: 'fulfilled', value: await deps.db.transaction((tx) => recordCharge(tx, deps, job.invoiceId, triggerOf(job), report, now)) };
      } catch (error) {
        return { status: 'rejected', reason: error };
      }
    }),
  );
}

/**
 * The common outcome of a batch, set-wise: scheduled payments that succeeded on open invoices never
 * failed before, whose subscription needs no state change (not past due). Records those as
 * recordCharge would (payment, invoice paid, audit entry, email) and returns their invoice ids; the
 * others (recoveries among them) are left to recordCharge.
 * Throws, changing nothing, if any payment was already known.
 */
async function recordPaidCharges(tx: DbOrTx, deps: Pick<ChargeDeps, 'boss' | 'appUrl'>, charges: ReadonlyArray<{ job: ChargeInvoiceJob; report: PaymentReport }>, now: Date): Promise<Set<string>> {
  const locked = await tx
    .select({ invoice: invoices, email: customers.email })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(inArray(invoices.id, charges.map((charge) => charge.job.invoiceId)))
    .orderBy(asc(invoices.id))
    .for('update', { of: invoices });
  const subscriptionIds = locked.flatMap((row) => (row.invoice.subscriptionId ? [row.invoice.subscriptionId] : []));
  const changing = new Set(
    subscriptionIds.length === 0
      ? []
      : (await tx.select({ id: subscriptions.id, status: subscriptions.status }).from(subscriptions).where(inArray(subscriptions.id, subscriptionIds)).orderBy(asc(subscriptions.id)).for('update'))
          .filter((sub) => sub.status === 'past_due' || sub.status === 'unpaid')
          .map((sub) => sub.id),
  );
  const rowOf = new Map(locked.map((row) => [row.invoice.id, row]));
  const eligible = charges.flatMap(({ job, report }) => {
    const row = rowOf.get(job.invoiceId);
    const plain = row && row.invoice.status === 'open' && !row.invoice.firstFailedAt && !job.paymentMethodId;
    return plain && !(row.invoice.subscriptionId && changing.has(row.invoice.subscriptionId)) ? [{ job, report, ...row }] : [];
  });
  if (eligible.length === 0) return new Set();

  const inserted = await tx
    .insert(payments)
    .values(eligible.map(({ invoice, report }) => invoicePaymentRow(invoice, report, invoice.amountDue - invoice.amountPaid)))
    .onConflictDoNothing({ target: [payments.provider, payments.providerPaymentId] })
    .returning({ id: payments.id, providerPaymentId: payments.providerPaymentId });
  if (inserted.length !== eligible.length) throw new Error('recordPaidCharges: a payment of the batch was already recorded');
  const paymentOf = new Map(inserted.map((row) => [row.providerPaymentId, row.id]));

  const at = now.toISOString();
  const values = eligible.map(({ invoice, job, report }) => sql`(${invoice.id}::uuid, ${paymentOf.get(report.providerPaymentId)!}::uuid, ${job.attempt}::integer)`);
  await tx.execute(sql`
    update ${invoices} set status = 'paid', amount_paid = amount_due, paid_at = ${at}::timestamptz, payment_id = v.payment_id, charge_claimed_until = null,
      attempt_count = greatest(attempt_count, v.attempt), updated_at = ${at}::timestamptz
    from (values ${sql.join(values, sql`, `)}) as v(id, payment_id, attempt)
    where ${invoices.id} = v.id`);
  await writeAudits(
    tx,
    eligible.map(({ invoice, report }) => ({ actorType: 'system' as const, actorId: 'billing', action: 'invoice.paid', entityType: 'invoice', entityId: invoice.id, before: { status: invoice.status, amountPaid: invoice.amountPaid }, after: { status: 'paid', amountPaid: invoice.amountDue, paymentId: paymentOf.get(report.providerPaymentId) } })),
  );
  await queueEmails(
    tx,
    deps.boss,
    eligible.map(({ invoice, email }) => ({ to: email, email: invoiceEmail({ kind: 'paid', number: invoice.number!, amount: formatMoney(money(invoice.amountDue - invoice.amountPaid, invoice.currency)), url: `${deps.appUrl}/billing/invoices/${invoice.id}` }) })),
  );
  return new Set(eligible.map(({ invoice }) => invoice.id));
}

/**
 * A payment of an invoice reported by the provider later (a webhook: 3-D Secure completed on the pay
 * page, an asynchronous capture): recorded exactly as the charge job records its own outcome.
 */
export function settleInvoicePayment(tx: DbOrTx, deps: Pick<ChargeDeps, 'boss' | 'appUrl' | 'settings'>, invoiceId: string, report: PaymentReport, now: Date): Promise<ChargeOutcome> {
  return recordCharge(tx, deps, invoiceId, { kind: 'provider' }, report, now);
}

/** The payments row of a charge of `invoice` for `amount`, as the provider reported it. */
function invoicePaymentRow(invoice: Invoice, report: PaymentReport, amount: number) {
  const failed = report.status === 'failed';
  return {
    customerId: invoice.customerId,
    provider: report.provider,
    providerPaymentId: report.providerPaymentId,
    providerChargeId: report.providerChargeId ?? null,
    paymentMethod: report.paymentMethod ?? null,
    amount,
    currency: invoice.currency,
    status: report.status,
    failureCode: failed ? (report.failureCode ?? null) : null,
    failureMessage: failed ? (report.failureMessage ?? null) : null,
    description: `Invoice ${invoice.number}`,
  };
}

/**
 * A payment seen for the first time is stored as reported; one already known (a retried job, a
 * webhook first) moves through the payment state rules. `inserted` says which; `previousStatus` is
 * the known payment's status before this report (null when it is new).
 */
async function storeInvoicePayment(tx: DbOrTx, invoice: Invoice, report: PaymentReport, amount: number): Promise<{ payment: Payment | null; inserted: boolean; previousStatus: Payment['status'] | null }> {
  const [inserted] = await tx.insert(payments).values(invoicePaymentRow(invoice, report, amount)).onConflictDoNothing({ target: [payments.provider, payments.providerPaymentId] }).returning();
  if (inserted) return { payment: inserted, inserted: true, previousStatus: null };
  const outcome = await recordPaymentReport(tx, report);
  if (outcome.kind === 'unknown') return { payment: null, inserted: false, previousStatus: null };
  return { payment: outcome.record, inserted: false, previousStatus: outcome.kind === 'changed' ? (outcome.before.status ?? outcome.record.status) : outcome.record.status };
}

/**
 * Money taken for an invoice no longer owed (voided while a charge or a 3-D Secure confirmation was in
 * flight, or paid twice) is recorded all the same, with an audit entry, so staff can see and refund it.
 */
async function recordPaymentAfterClose(tx: DbOrTx, invoice: Invoice, report: PaymentReport): Promise<void> {
  // Invoices here are paid whole or not at all, so what was charged for it is its amount due.
  const { payment } = await storeInvoicePayment(tx, invoice, report, invoice.amountDue);
  if (!payment || (payment.id === invoice.paymentId && invoice.status === 'paid')) return;
  await writeAudit(tx, { actorType: 'system', actorId: 'billing', action: 'invoice.payment_after_close', entityType: 'invoice', entityId: invoice.id, before: { status: invoice.status }, after: { paymentId: payment.id, amount: payment.amount, currency: payment.currency } });
}

async function recordCharge(tx: DbOrTx, deps: Pick<ChargeDeps, 'boss' | 'appUrl' | 'settings'>, invoiceId: string, trigger: ChargeTrigger, report: PaymentReport | null, now: Date): Promise<ChargeOutcome> {
  const [{ invoice, customer }] = await tx.select({ invoice: invoices, customer: { email: customers.email } }).from(invoices).innerJoin(customers, eq(customers.id, invoices.customerId)).where(eq(invoices.id, invoiceId)).for('update', { of: invoices });
  if (!isOwed(invoice)) {
    if (report?.status === 'succeeded') await recordPaymentAfterClose(tx, invoice, report);
    return 'nothing_due';
  }
  const [sub] = invoice.subscriptionId ? await tx.select().from(subscriptions).where(eq(subscriptions.id, invoice.subscriptionId)).for('update') : [];
  let state = sub ? subscriptionState(sub) : null;
  const url = `${deps.appUrl}/billing/invoices/${invoice.id}`;
  const amount = formatMoney(money(invoice.amountDue - invoice.amountPaid, invoice.currency));
  const moveSubscription = async (event: 'payment_succeeded' | 'payment_failed' | 'retries_exhausted') => {
    if (!sub || !state) return null;
    // Only these moves: a success on an already-active subscription or a failure on a past-due one changes nothing.
    const from = { payment_succeeded: ['past_due', 'unpaid'], payment_failed: ['active'], retries_exhausted: ['past_due'] }[event];
    if (!from.includes(state.status)) return null;
    const before = state;
    state = transition(state, { type: event, at: now.getTime() }, deps.settings);
    // Recovered from unpaid after its period ended: a fresh period starts now rather than billing the suspended months.
    const restart = before.status === 'unpaid' && sub.currentPeriodEnd <= now ? { currentPeriodEnd: now, billingCycleAnchor: now } : {};
    await tx.update(subscriptions).set({ ...stateColumns(state), ...restart, updatedAt: now }).where(eq(subscriptions.id, sub.id));
    await writeAudit(tx, { actorType: 'system', actorId: 'billing', action: `subscription.${event}`, entityType: 'subscription', entityId: sub.id, before: { status: before.status }, after: { status: state.status, ...restart } });
    return state.status;
  };
  const audit = (action: string, after: object) => writeAudit(tx, { actorType: 'system', actorId: 'billing', action, entityType: 'invoice', entityId: invoice.id, before: { status: invoice.status, amountPaid: invoice.amountPaid }, after });
  const attempted = trigger.kind === 'scheduled' ? { attemptCount: Math.max(invoice.attemptCount, trigger.attempt) } : {};
  const failure = (kind: 'payment_failed' | 'action_required', details: object) => recordFailure(tx, deps, { invoice: { ...invoice, ...attempted }, sub, email: customer.email, trigger, now, moveSubscription, audit, kind, details });
  // A scheduled attempt already recorded (the job ran again) has nothing more to say.
  const repeatedAttempt = trigger.kind === 'scheduled' && trigger.attempt <= invoice.attemptCount;
  // The job's claim on the invoice ends with its record (a provider's report holds none).
  const releaseClaim = () => (trigger.kind === 'provider' ? undefined : tx.update(invoices).set({ chargeClaimedUntil: null }).where(eq(invoices.id, invoice.id)));

  if (!report) {
    await releaseClaim();
    if (!repeatedAttempt) await failure('payment_failed', { reason: 'no default payment method' });
    return 'no_payment_method';
  }
  const { payment, inserted, previousStatus } = await storeInvoicePayment(tx, invoice, report, invoice.amountDue - invoice.amountPaid);
  const paid = report.status === 'succeeded';
  const outcome: ChargeOutcome = paid ? 'paid' : report.status === 'requires_action' ? 'action_required' : report.status === 'processing' || report.status === 'pending' ? 'pending' : 'failed';
  if (!paid) {
    // Failures are the job's to count, schedule and email. The provider's word counts only for an outcome the
    // job could not know (an asynchronous capture settled later), about the invoice's latest attempt.
    const asyncOutcome = trigger.kind === 'provider' && payment !== null && payment.id === invoice.paymentId && (previousStatus === 'processing' || previousStatus === 'pending');
    if (repeatedAttempt || (trigger.kind === 'customer' && previousStatus === report.status) || (trigger.kind === 'provider' && !asyncOutcome)) {
      await releaseClaim();
      return outcome;
    }
  }
  await tx
    .update(invoices)
    .set({ ...attempted, paymentId: payment?.id ?? null, chargeClaimedUntil: null, updatedAt: now, ...(paid ? { status: 'paid' as const, amountPaid: invoice.amountDue, paidAt: now, nextPaymentAttemptAt: null } : {}) })
    .where(eq(invoices.id, invoice.id));

  if (paid) {
    // A refund recorded before this payment settled the invoice (its webhook came first) gets its credit note now.
    if (payment && !inserted) {
      for (const refund of await tx.select().from(refunds).where(eq(refunds.paymentId, payment.id))) await syncRefundCreditNote(tx, refund, { now, notify: { boss: deps.boss, appUrl: deps.appUrl } });
    }
    await moveSubscription('payment_succeeded');
    // Paid after a failure: recovered revenue (reported from first_failed_at on paid invoices).
    await audit(invoice.firstFailedAt ? 'invoice.recovered' : 'invoice.paid', { status: 'paid', amountPaid: invoice.amountDue, paymentId: payment?.id });
    await queueEmail(tx, deps.boss, customer.email, invoiceEmail({ kind: 'paid', number: invoice.number!, amount, url }));
    return 'paid';
  }
  if (outcome === 'failed' || outcome === 'action_required') {
    await failure(outcome === 'action_required' ? 'action_required' : 'payment_failed', { paymentId: payment?.id, failureCode: report.failureCode ?? null });
  }
  return outcome;
}

/**
 * A charge of an owed invoice failed or needs the customer's confirmation (off-session, that is a
 * failure too): the subscription goes past due, and for a scheduled attempt (or a late report of
 * one) the next retry is set, or the last one having failed, the invoice is written off and the
 * subscription canceled or left unpaid. Each failure is emailed; giving up has its own email.
 */
async function recordFailure(
  tx: DbOrTx,
  deps: Pick<ChargeDeps, 'boss' | 'appUrl' | 'settings'>,
  input: {
    invoice: Invoice;
    sub: Subscription | undefined;
    email: string;
    trigger: ChargeTrigger;
    now: Date;
    moveSubscription: (event: 'payment_failed' | 'retries_exhausted') => Promise<string | null>;
    audit: (action: string, after: object) => Promise<unknown>;
    kind: 'payment_failed' | 'action_required';
    details: object;
  },
): Promise<void> {
  const { invoice, now, trigger } = input;
  const firstFailedAt = invoice.firstFailedAt ?? now;
  let nextAttemptAt = invoice.nextPaymentAttemptAt;
  let exhausted = false;
  // A customer's own retry leaves the schedule as it is; a scheduled attempt (or its asynchronous outcome) moves it on.
  if (invoice.status === 'open' && trigger.kind !== 'customer') {
    const attempt = trigger.kind === 'scheduled' ? trigger.attempt : Math.max(1, invoice.attemptCount);
    const step = nextDunningStep(deps.settings.retryDays, firstFailedAt.getTime(), attempt);
    nextAttemptAt = step.kind === 'retry' ? new Date(step.at) : null;
    exhausted = step.kind === 'exhausted';
  }
  await tx
    .update(invoices)
    .set({ firstFailedAt, nextPaymentAttemptAt: nextAttemptAt, ...(exhausted ? { status: 'uncollectible' as const } : {}), updatedAt: now })
    .where(eq(invoices.id, invoice.id));
  await input.moveSubscription('payment_failed');
  await input.audit(input.kind === 'action_required' ? 'invoice.action_required' : 'invoice.payment_failed', { ...input.details, trigger: trigger.kind, nextPaymentAttemptAt: nextAttemptAt?.toISOString() ?? null });

  const amount = formatMoney(money(invoice.amountDue - invoice.amountPaid, invoice.currency));
  const billingUrl = `${deps.appUrl}/billing`;
  if (!exhausted) {
    const url = input.kind === 'action_required' ? `${deps.appUrl}/billing/invoices/${invoice.id}/pay` : billingUrl;
    await queueEmail(tx, deps.boss, input.email, invoiceEmail({ kind: input.kind, number: invoice.number!, amount, nextAttemptOn: nextAttemptAt ? formatUtcDate(nextAttemptAt.getTime()) : null, url }));
    return;
  }
  const outcome = await input.moveSubscription('retries_exhausted');
  await writeAudit(tx, { actorType: 'system', actorId: 'dunning', action: 'invoice.marked_uncollectible', entityType: 'invoice', entityId: invoice.id, before: { status: 'open' }, after: { status: 'uncollectible', subscriptionStatus: outcome } });
  const [product] = input.sub ? await tx.select({ name: products.name }).from(products).where(eq(products.id, input.sub.productId)) : [];
  await queueEmail(tx, deps.boss, input.email, dunningExhaustedEmail({ number: invoice.number!, amount, productName: product?.name ?? null, outcome: outcome === 'canceled' || outcome === 'unpaid' ? outcome : null, billingUrl }));
}
