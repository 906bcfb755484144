/** Charges (created by PaymentIntents): retrieve, update, list. */
import { emit, update, type StripeContext } from '../context';
import { LIST_PARAMS, createdFilter, newestFirst, paginate } from '../list';
import { nullable, type Params } from '../params';
import type { Route } from '../router';
import { find } from '../shared';
import type { StripeObject } from '../state';

function retrieve(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  return find(ctx, 'charges', path.charge, 'charge');
}

function modify(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('description', 'metadata', 'receipt_email', 'fraud_details', 'shipping', 'transfer_group', 'expand');
  const charge = find(ctx, 'charges', path.charge, 'charge');
  const changes: Record<string, unknown> = {};
  if (p.has('description')) changes.description = nullable(p.string('description'), charge.description as string | null);
  if (p.has('receipt_email')) changes.receipt_email = nullable(p.string('receipt_email'), charge.receipt_email as string | null);
  if (p.has('metadata')) changes.metadata = p.metadataUpdate(charge.metadata as Record<string, string>);
  const previous = update(charge, changes);
  if (Object.keys(previous).length > 0) emit(ctx, 'charge.updated', charge, previous);
  return charge;
}

function list(ctx: StripeContext, p: Params): unknown {
  p.only(...LIST_PARAMS, 'customer', 'payment_intent', 'created', 'transfer_group');
  const customer = p.string('customer');
  const pi = p.string('payment_intent');
  const inRange = createdFilter(p);
  const all = newestFirst(ctx.state.charges).filter(
    (c) => inRange(c) && (customer === undefined || c.customer === customer) && (pi === undefined || c.payment_intent === pi),
  );
  return paginate(all, p, '/v1/charges');
}

function dispute(ctx: StripeContext, p: Params, path: Record<string, string>): StripeObject {
  p.only('expand');
  const charge = find(ctx, 'charges', path.charge, 'charge');
  const found = Object.values(ctx.state.disputes).find((d) => d.charge === charge.id);
  return found ?? find(ctx, 'disputes', `dp_for_${charge.id}`, 'charge');
}

export const chargeRoutes: Route[] = [
  { method: 'GET', path: '/v1/charges', handler: list },
  { method: 'GET', path: '/v1/charges/:charge', handler: retrieve },
  { method: 'POST', path: '/v1/charges/:charge', handler: modify },
  { method: 'GET', path: '/v1/charges/:charge/dispute', handler: dispute },
];
