/** Refunds: full and partial, several per charge, never more than was captured; retrieve, update, list, cancel. */
import { emit, now, update, type StripeContext } from '../context';
import { invalidRequest, unexpectedState } from '../errors';
import { newId } from '../ids';
import { LIST_PARAMS, createdFilter, newestFirst, paginate } from '../list';
import type { Params } from '../params';
import type { Route } from '../router';
import { find } from '../shared';
import type { StripeObject, StripeState } from '../state';

const OPEN_DISPUTE = ['needs_response', 'under_review'];

function chargeToRefund(ctx: StripeContext, p: Params): StripeObject {
  const chargeId = p.string('charge');
  const piId = p.string('payment_intent');
  if (chargeId && piId) throw invalidRequest('You can only specify one of these parameters: charge, payment_intent.', 'payment_intent');
  if (!chargeId && !piId) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', 'charge', 'parameter_missing');
  if (chargeId) return find(ctx, 'charges', chargeId, 'charge');
  const pi = find(ctx, 'payment_intents', piId!, 'payment_intent');
  const charge = pi.latest_charge ? ctx.state.charges[pi.latest_charge as string] : undefined;
  if (!charge || charge.status !== 'succeeded')
    throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'payment_intent', 'charge_not_refundable');
  return charge;
}

/**
 * What can still be refunded. Before API version 2025-03-31.basil (this sandbox speaks 2024-04-10), releasing
 * the uncaptured part of an authorization (partial capture, cancel) is itself a Refund counted in
 * `amount_refunded`, so `amount - amount_refunded` never exceeds what was captured and not yet refunded.
 */
export function refundableAmount(charge: StripeObject): number {
  return (charge.amount as number) - (charge.amount_refunded as number);
}

/** Records a succeeded Refund on a charge, updates the charge, and emits refund.created + charge.refunded. */
export function recordRefund(
  ctx: StripeContext,
  charge: StripeObject,
  amount: number,
  extra: { reason?: string | null; metadata?: Record<string, string> } = {},
): StripeObject {
  const refund: StripeObject = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: now(ctx),
    currency: charge.currency,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: extra.metadata ?? {},
    payment_intent: charge.payment_intent,
    reason: extra.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  ctx.state.refunds[refund.id] = refund;
  // Stripe's 4000000000005126: the refund starts succeeded and fails some time later.
  if (ctx.state.cards[charge.payment_method as string]?.behaviour === 'refund_fails_later') {
    (ctx.state.refundFailures ??= {})[refund.id] = now(ctx) + REFUND_FAILURE_DELAY_SECONDS;
  }
  emit(ctx, 'refund.created', refund);
  const refunded = (charge.amount_refunded as number) + amount;
  const previous = update(charge, { amount_refunded: refunded, refunded: refunded === charge.amount });
  emit(ctx, 'charge.refunded', charge, previous);
  return refund;
}

/** How long (sandbox clock) a `refund_fails_later` refund stays succeeded; advance the clock to see it fail. */
export const REFUND_FAILURE_DELAY_SECONDS = 60;

export function hasDueRefundFailures(state: StripeState, nowSeconds: number): boolean {
  return Object.values(state.refundFailures ?? {}).some((at) => at <= nowSeconds);
}

/** Fails the refunds that are due: the money goes back to the merchant's balance (the charge is no longer refunded by that amount). */
export function failDueRefunds(ctx: StripeContext): void {
  for (const [id, at] of Object.entries(ctx.state.refundFailures ?? {})) {
    if (at > now(ctx)) continue;
    delete ctx.state.refundFailures[id];
    const refund = ctx.state.refunds[id];
    if (!refund || refund.status !== 'succeeded') continue;
    const previous = update(refund, { status: 'failed', failure_reason: 'expired_or_canceled_card' });
    const charge = ctx.state.charges[refund.charge as string];
    if (charge) {
      const refunded = (charge.amount_refunded as number) - (refund.amount as number);
      update(charge, { amount_refunded: refunded, refunded: false });
    }
    emit(ctx, 'charge.refund.updated', refund, previous);
    emit(ctx, 'refund.updated', refund, previous);
  }
}

function create(ctx: StripeContext, p: Params): StripeObject {
  p.only('charge', 'payment_intent', 'amount', 'reason', 'metadata', 'expand', 'instructions_email', 'origin',
    'refund_application_fee', 'reverse_transfer', 'currency', 'customer');
  const charge = chargeToRefund(ctx, p);
  if (charge.status !== 'succeeded')
    throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be refunded.`, 'charge', 'charge_not_refundable');
  if (!charge.captured)
    throw invalidRequest(
      `Charge ${charge.id} has not been captured. Cancel its PaymentIntent to release the authorization instead.`,
      'charge',
      'charge_not_refundable',
    );
  if (charge.refunded || refundableAmount(charge) === 0)
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge', 'charge_already_refunded');
  const dispute = Object.values(ctx.state.disputes).find((d) => d.charge === charge.id);
  if (dispute && OPEN_DISPUTE.includes(dispute.status as string))
    throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, 'charge', 'charge_disputed');
  const remaining = refundableAmount(charge);
  const amount = p.int('amount', { min: 1 }) ?? remaining;
  if (amount > remaining)
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
      'amount',
      'amount_too_large',
    );
  return recordRefund(ctx, charge, amount, {
    reason: p.enum('reason', ['duplicate', 'fraudulent', 'requested_by_customer']) ?? null,
    metadata: p.metadataUpdate({}),
  });
}

function retrieve(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  return find(ctx, 'refunds', path.refund, 'refund');
}

function modify(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('metadata', 'expand');
  const refund = find(ctx, 'refunds', path.refund, 'refund');
  const previous = update(refund, { metadata: p.metadataUpdate(refund.metadata as Record<string, string>) });
  if (Object.keys(previous).length > 0) emit(ctx, 'refund.updated', refund, previous);
  return refund;
}

function cancel(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  const refund = find(ctx, 'refunds', path.refund, 'refund');
  throw unexpectedState(`Refund ${refund.id} has a status of ${refund.status} and cannot be canceled.`, 'refund_not_cancelable');
}

function listFiltered(ctx: StripeContext, p: Params, chargeId: string | undefined, url: string): unknown {
  const pi = p.string('payment_intent');
  const inRange = createdFilter(p);
  const all = newestFirst(ctx.state.refunds).filter(
    (r) => inRange(r) && (chargeId === undefined || r.charge === chargeId) && (pi === undefined || r.payment_intent === pi),
  );
  return paginate(all, p, url);
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'charge', 'payment_intent', 'created');
  return listFiltered(ctx, p, p.string('charge'), '/v1/refunds');
}

function listForCharge(ctx: StripeContext, p: Params, path: Record<string, string>): unknown {
  p.only(...LIST_PARAMS);
  const charge = find(ctx, 'charges', path.charge, 'charge');
  return listFiltered(ctx, p, charge.id, `/v1/charges/${charge.id}/refunds`);
}

export const refundRoutes: Route[] = [
  { method: 'POST', path: '/v1/refunds', handler: create },
  { method: 'GET', path: '/v1/refunds', handler: list },
  { method: 'GET', path: '/v1/refunds/:refund', handler: retrieve },
  { method: 'POST', path: '/v1/refunds/:refund', handler: modify },
  { method: 'POST', path: '/v1/refunds/:refund/cancel', handler: cancel },
  { method: 'GET', path: '/v1/charges/:charge/refunds', handler: listForCharge },
];
