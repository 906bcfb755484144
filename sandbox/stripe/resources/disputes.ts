/**
 * Disputes: opened by the dispute test card after a successful charge; retrieve, list, update evidence
 * (submitting `winning_evidence` / `losing_evidence` as uncategorized_text decides it, as in test mode), close.
 */
import { emit, now, update, type StripeContext } from '../context';
import { unexpectedState } from '../errors';
import { newId } from '../ids';
import { LIST_PARAMS, createdFilter, newestFirst, paginate } from '../list';
import type { Params } from '../params';
import type { Route } from '../router';
import { find } from '../shared';
import type { StripeObject } from '../state';

const EVIDENCE_FIELDS = [
  'access_activity_log', 'billing_address', 'cancellation_policy', 'cancellation_policy_disclosure',
  'cancellation_rebuttal', 'customer_communication', 'customer_email_address', 'customer_name',
  'customer_purchase_ip', 'customer_signature', 'duplicate_charge_documentation', 'duplicate_charge_explanation',
  'duplicate_charge_id', 'product_description', 'receipt', 'refund_policy', 'refund_policy_disclosure',
  'refund_refusal_explanation', 'service_date', 'service_documentation', 'shipping_address', 'shipping_carrier',
  'shipping_date', 'shipping_documentation', 'shipping_tracking_number', 'uncategorized_file', 'uncategorized_text',
] as const;

const OPEN_STATUSES = ['warning_needs_response', 'needs_response', 'under_review', 'warning_under_review'];

export function openDispute(ctx: StripeContext, charge: StripeObject, reason = 'fraudulent'): StripeObject {
  const card = (charge.payment_method_details as { card: { brand: string } }).card;
  const dispute: StripeObject = {
    id: newId('dp'),
    object: 'dispute',
    amount: (charge.amount_captured as number) || (charge.amount as number),
    balance_transactions: [],
    charge: charge.id,
    created: now(ctx),
    currency: charge.currency,
    evidence: Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, null])),
    evidence_details: { due_by: now(ctx) + 7 * 24 * 3600, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    payment_method_details: { card: { brand: card.brand, network_reason_code: '10.4' }, type: 'card' },
    reason,
    status: 'needs_response',
  };
  ctx.state.disputes[dispute.id] = dispute;
  const previous = update(charge, { disputed: true });
  emit(ctx, 'charge.updated', charge, previous);
  emit(ctx, 'charge.dispute.created', dispute);
  emit(ctx, 'charge.dispute.funds_withdrawn', dispute);
  return dispute;
}

function refreshPastDue(ctx: StripeContext, dispute: StripeObject): void {
  const details = dispute.evidence_details as { due_by: number; past_due: boolean };
  if (OPEN_STATUSES.includes(dispute.status as string) && !details.past_due && now(ctx) > details.due_by) details.past_due = true;
}

function retrieve(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  const dispute = find(ctx, 'disputes', path.dispute, 'dispute');
  refreshPastDue(ctx, dispute);
  return dispute;
}

function close(ctx: StripeContext, dispute: StripeObject, status: 'won' | 'lost'): void {
  const previous = update(dispute, { status });
  emit(ctx, 'charge.dispute.closed', dispute, previous);
  if (status === 'won') emit(ctx, 'charge.dispute.funds_reinstated', dispute);
}

function modify(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('evidence', 'metadata', 'submit', 'expand');
  const dispute = find(ctx, 'disputes', path.dispute, 'dispute');
  if (!OPEN_STATUSES.includes(dispute.status as string) || dispute.status === 'under_review')
    throw unexpectedState(`This dispute is already ${dispute.status} and cannot be updated.`, 'charge_dispute_unexpected_state');
  const changes: Record<string, unknown> = {};
  const evidence = p.object('evidence');
  if (evidence) {
    evidence.only(...EVIDENCE_FIELDS);
    const next = { ...(dispute.evidence as Record<string, unknown>) };
    for (const field of EVIDENCE_FIELDS) {
      const v = evidence.string(field, { maxLength: 20000 });
      if (v !== undefined) next[field] = v === '' ? null : v;
    }
    changes.evidence = next;
    changes.evidence_details = { ...(dispute.evidence_details as object), has_evidence: Object.values(next).some((v) => v !== null) };
  }
  if (p.has('metadata')) changes.metadata = p.metadataUpdate(dispute.metadata as Record<string, string>);
  const submit = p.bool('submit') ?? true;
  if (submit && evidence) {
    const details = (changes.evidence_details ?? dispute.evidence_details) as Record<string, unknown>;
    changes.evidence_details = { ...details, submission_count: (details.submission_count as number) + 1 };
    changes.status = dispute.status === 'warning_needs_response' ? 'warning_under_review' : 'under_review';
  }
  const previous = update(dispute, changes);
  if (Object.keys(previous).length > 0) emit(ctx, 'charge.dispute.updated', dispute, previous);
  const text = (dispute.evidence as { uncategorized_text: string | null }).uncategorized_text;
  if (submit && text === 'winning_evidence') close(ctx, dispute, 'won');
  if (submit && text === 'losing_evidence') close(ctx, dispute, 'lost');
  return dispute;
}

function closeRoute(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  const dispute = find(ctx, 'disputes', path.dispute, 'dispute');
  if (!OPEN_STATUSES.includes(dispute.status as string))
    throw unexpectedState(`This dispute is already ${dispute.status}.`, 'charge_dispute_unexpected_state');
  close(ctx, dispute, 'lost');
  return dispute;
}

/** Control surface: decide an open dispute (what the card network would do after review). */
export function resolveDispute(ctx: StripeContext, id: string, outcome: 'won' | 'lost'): StripeObject {
  const dispute = find(ctx, 'disputes', id, 'dispute');
  if (!OPEN_STATUSES.includes(dispute.status as string))
    throw unexpectedState(`This dispute is already ${dispute.status}.`, 'charge_dispute_unexpected_state');
  close(ctx, dispute, outcome);
  return dispute;
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'charge', 'payment_intent', 'created');
  const charge = p.string('charge');
  const pi = p.string('payment_intent');
  const inRange = createdFilter(p);
  const all = newestFirst(ctx.state.disputes).filter(
    (d) => inRange(d) && (charge === undefined || d.charge === charge) && (pi === undefined || d.payment_intent === pi),
  );
  all.forEach((d) => refreshPastDue(ctx, d));
  return paginate(all, p, '/v1/disputes');
}

export const disputeRoutes: Route[] = [
  { method: 'GET', path: '/v1/disputes', handler: list },
  { method: 'GET', path: '/v1/disputes/:dispute', handler: retrieve },
  { method: 'POST', path: '/v1/disputes/:dispute', handler: modify },
  { method: 'POST', path: '/v1/disputes/:dispute/close', handler: closeRoute },
];
