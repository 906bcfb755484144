/**
 * Disputes v1 (read side: list, show, and the seller's accept-claim) plus the control actions that open and
 * resolve a dispute on a capture. A dispute the buyer wins reverses the disputed amount.
 */
import { invalidRequest, notFound, unprocessable } from './errors';
import { formatMinor, parseMoney } from './money';
import { remainingMinor, reverseCapture } from './payments';
import type { Services } from './services';
import type { DisputeRecord } from './state';
import { paypalId } from './state';
import type { Json } from './validate';

export const DISPUTE_REASONS = [
  'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
  'MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED',
  'UNAUTHORISED',
  'CREDIT_NOT_PROCESSED',
  'DUPLICATE_TRANSACTION',
  'INCORRECT_AMOUNT',
  'PAYMENT_BY_OTHER_MEANS',
  'CANCELED_RECURRING_BILLING',
  'PROBLEM_WITH_REMITTANCE',
  'OTHER',
];

export function getDispute(svc: Services, id: string): DisputeRecord {
  const d = svc.store.state.disputes[id];
  if (!d) throw notFound('dispute_id', id);
  return d;
}

export function listDisputes(svc: Services, url: URL): Json {
  const txn = url.searchParams.get('disputed_transaction_id');
  const state = url.searchParams.get('dispute_state');
  const items = Object.values(svc.store.state.disputes)
    .filter((d) => (txn ? d.captureId === txn : true))
    .filter((d) => (state ? (state === 'RESOLVED') === (d.status === 'RESOLVED') : true))
    .sort((a, b) => (a.createTime < b.createTime ? 1 : -1));
  return {
    ...(items.length > 0 ? { items: items.map((d) => svc.render.disputeSummary(d)) } : {}),
    links: [{ href: `${svc.ctx.settings.origin}/paypal/v1/customer/disputes`, rel: 'self', method: 'GET' }],
  };
}

/** Control: the buyer opens a dispute on a capture. Body: capture_id, reason?, amount? ({currency_code,value} or value string), stage? */
export function openDispute(svc: Services, body: Json): DisputeRecord {
  const captureId = body.capture_id;
  if (typeof captureId !== 'string') throw invalidRequest([{ field: 'capture_id', location: 'body', issue: 'MISSING_REQUIRED_PARAMETER' }]);
  const capture = svc.store.state.captures[captureId];
  if (!capture) throw notFound('capture_id', captureId);
  if (capture.status !== 'COMPLETED' && capture.status !== 'PARTIALLY_REFUNDED') {
    throw unprocessable('REFUND_NOT_ALLOWED', 'capture_id', captureId);
  }
  const reason = typeof body.reason === 'string' ? body.reason : 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED';
  if (!DISPUTE_REASONS.includes(reason)) throw invalidRequest([{ field: 'reason', value: reason, location: 'body', issue: 'INVALID_PARAMETER_VALUE' }]);
  const stage = typeof body.stage === 'string' ? body.stage : 'INQUIRY';
  if (!['INQUIRY', 'CHARGEBACK', 'PRE_ARBITRATION', 'ARBITRATION'].includes(stage)) {
    throw invalidRequest([{ field: 'stage', value: stage, location: 'body', issue: 'INVALID_PARAMETER_VALUE' }]);
  }
  let minor = remainingMinor(capture);
  if (body.amount !== undefined) {
    const value = typeof body.amount === 'string' ? body.amount : (body.amount as Json)?.value;
    const parsed = typeof value === 'string' ? parseMoney({ currency_code: capture.currency, value }) : null;
    if (!parsed || !parsed.ok || parsed.minor <= 0 || parsed.minor > remainingMinor(capture)) {
      throw invalidRequest([{ field: 'amount', value: String(value), location: 'body', issue: 'INVALID_PARAMETER_VALUE' }]);
    }
    minor = parsed.minor;
  }
  return svc.hooks.mutate((draft, emit) => {
    const now = svc.now();
    const dispute: DisputeRecord = {
      id: `PP-D-${paypalId(5, '0123456789')}`,
      captureId,
      reason,
      status: 'WAITING_FOR_SELLER_RESPONSE',
      stage: stage as DisputeRecord['stage'],
      amountMinor: minor,
      currency: capture.currency,
      createTime: now,
      updateTime: now,
    };
    draft.disputes[dispute.id] = dispute;
    draft.captures[captureId].disputeIds.push(dispute.id);
    emit('CUSTOMER.DISPUTE.CREATED', svc.render.dispute(dispute, draft), `A new dispute opened with Case # ${dispute.id}`);
    return dispute;
  });
}

const OUTCOMES: Record<string, NonNullable<DisputeRecord['outcome']>> = {
  buyer: 'RESOLVED_BUYER_FAVOUR',
  seller: 'RESOLVED_SELLER_FAVOUR',
  canceled: 'CANCELED_BY_BUYER',
  RESOLVED_BUYER_FAVOUR: 'RESOLVED_BUYER_FAVOUR',
  RESOLVED_SELLER_FAVOUR: 'RESOLVED_SELLER_FAVOUR',
  CANCELED_BY_BUYER: 'CANCELED_BY_BUYER',
};

/** Control (and accept-claim): resolve a dispute; the buyer winning reverses the disputed amount. */
export function resolveDispute(svc: Services, id: string, outcomeName: unknown): DisputeRecord {
  const outcome = OUTCOMES[typeof outcomeName === 'string' ? outcomeName : 'seller'];
  if (!outcome) throw invalidRequest([{ field: 'outcome', value: String(outcomeName), location: 'body', issue: 'INVALID_PARAMETER_VALUE' }]);
  const current = getDispute(svc, id);
  if (current.status === 'RESOLVED') throw unprocessable('DISPUTE_ALREADY_RESOLVED', 'dispute_id', id, 'path');
  return svc.hooks.mutate((draft, emit) => {
    const d = draft.disputes[id];
    d.status = 'RESOLVED';
    d.outcome = outcome;
    d.updateTime = svc.now();
    if (outcome === 'RESOLVED_BUYER_FAVOUR') reverseCapture(svc, draft, d.captureId, d.amountMinor, emit);
    emit(
      'CUSTOMER.DISPUTE.RESOLVED',
      svc.render.dispute(d, draft),
      `A dispute with Case # ${d.id} was resolved (${outcome}) for ${formatMinor(d.amountMinor, d.currency)} ${d.currency}`,
    );
    return d;
  });
}
