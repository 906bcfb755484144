/**
 * The issuer's side of a card payment: decides, for a PaymentMethod and a payment, whether it needs
 * 3-D Secure, is declined, or succeeds; creates the Charge; builds Stripe's card errors.
 */
import { randomUUID } from 'node:crypto';
import { AUTHENTICATION_REQUIRED, declineOnCharge, needsAuthentication, type Decline } from '../cards';
import { emit, now, type StripeContext } from '../context';
import { StripeApiError } from '../errors';
import { newId } from '../ids';
import type { StripeObject } from '../state';

export type ChargeDecision =
  | { kind: 'succeed' }
  | { kind: 'authenticate' }
  | { kind: 'decline'; decline: Decline; createCharge: boolean };

/** What the issuer does with this card for this payment. */
export function decide(
  ctx: StripeContext,
  pm: StripeObject,
  opts: { offSession: boolean; authenticated: boolean },
): ChargeDecision {
  const card = ctx.state.cards[pm.id] ?? { behaviour: 'success', setUpForOffSession: false };
  const decline = declineOnCharge(card.behaviour);
  if (decline) return { kind: 'decline', decline, createCharge: true };
  if (!opts.authenticated && needsAuthentication(card)) {
    if (opts.offSession) return { kind: 'decline', decline: AUTHENTICATION_REQUIRED, createCharge: true };
    return { kind: 'authenticate' };
  }
  return { kind: 'succeed' };
}

export interface ChargeInput {
  amount: number;
  currency: string;
  customer: string | null;
  paymentIntent: string | null;
  pm: StripeObject;
  description: string | null;
  metadata: Record<string, string>;
  receiptEmail: string | null;
  capture: boolean;
  threeDSecure: boolean;
  decline?: Decline;
}

export function createCharge(ctx: StripeContext, input: ChargeInput): StripeObject {
  const card = input.pm.card as Record<string, unknown>;
  const failed = input.decline !== undefined;
  const id = newId('ch');
  const charge: StripeObject = {
    id,
    object: 'charge',
    amount: input.amount,
    amount_captured: !failed && input.capture ? input.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: structuredClone(input.pm.billing_details),
    calculated_statement_descriptor: 'SANDBOX',
    captured: !failed && input.capture,
    created: now(ctx),
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failed ? input.decline!.code : null,
    failure_message: failed ? input.decline!.message : null,
    fraud_details: {},
    invoice: null,
    livemode: false,
    metadata: structuredClone(input.metadata),
    on_behalf_of: null,
    outcome: failed
      ? {
          network_status: input.decline!.networkStatus,
          reason: input.decline!.declineCode ?? null,
          risk_level: 'normal',
          risk_score: 40,
          seller_message: input.decline!.sellerMessage,
          type: input.decline!.outcomeType,
        }
      : {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          risk_score: 32,
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: !failed,
    payment_intent: input.paymentIntent,
    payment_method: input.pm.id,
    payment_method_details: {
      card: {
        amount_authorized: failed ? null : input.amount,
        brand: card.brand,
        ...(failed || input.capture ? {} : { capture_before: now(ctx) + 7 * 24 * 3600 }),
        checks: structuredClone(card.checks),
        country: card.country,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        extended_authorization: { status: 'disabled' },
        fingerprint: card.fingerprint,
        funding: card.funding,
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: card.last4,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network: card.brand,
        network_token: { used: false },
        overcapture: { maximum_amount_capturable: input.amount, status: 'unavailable' },
        three_d_secure: input.threeDSecure
          ? {
              authentication_flow: 'challenge',
              electronic_commerce_indicator: '05',
              exemption_indicator: null,
              result: 'authenticated',
              result_reason: null,
              transaction_id: randomUUID(),
              version: '2.2.0',
            }
          : null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: input.receiptEmail,
    receipt_number: null,
    receipt_url: failed ? null : `${ctx.settings.origin}/receipts/${id}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: failed ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
  ctx.state.charges[id] = charge;
  emit(ctx, failed ? 'charge.failed' : 'charge.succeeded', charge);
  return charge;
}

/** The `last_payment_error` / `last_setup_error` for a decline. */
export function declineError(decline: Decline, pm: StripeObject, chargeId: string | null): Record<string, unknown> {
  return {
    ...(chargeId ? { charge: chargeId } : {}),
    code: decline.code,
    ...(decline.declineCode ? { decline_code: decline.declineCode } : {}),
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
    message: decline.message,
    payment_method: structuredClone(pm),
    type: 'card_error',
  };
}

export function authenticationFailureError(pm: StripeObject, kind: 'payment_intent' | 'setup_intent'): Record<string, unknown> {
  const code = `${kind}_authentication_failure`;
  return {
    code,
    doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`,
    message:
      'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    payment_method: structuredClone(pm),
    type: 'invalid_request_error',
  };
}

/** The 402 a declined confirm answers with; the state changes before it are kept. */
export function cardDeclined(error: Record<string, unknown>, attachments: Record<string, unknown>): StripeApiError {
  const { payment_method, ...rest } = error;
  const err = new StripeApiError(402, {
    ...(rest as { type: 'card_error'; message: string }),
    payment_method: structuredClone(payment_method),
    ...structuredClone(attachments),
  });
  err.commit = true;
  return err;
}

/** Where the 3-D Secure challenge for an intent is served (on the sandbox's origin). */
export function challengeUrl(ctx: StripeContext, intent: StripeObject, returnUrl?: string | null): string {
  const url = new URL(`/stripe-sandbox/3ds/${intent.id}`, ctx.settings.origin);
  url.searchParams.set('client_secret', intent.client_secret as string);
  if (returnUrl) url.searchParams.set('return_url', returnUrl);
  return url.toString();
}

export function nextActionFor(
  ctx: StripeContext,
  intent: StripeObject,
  opts: { useStripeSdk: boolean; returnUrl: string | null },
): Record<string, unknown> {
  if (!opts.useStripeSdk && opts.returnUrl) {
    return {
      type: 'redirect_to_url',
      redirect_to_url: { return_url: opts.returnUrl, url: challengeUrl(ctx, intent, opts.returnUrl) },
    };
  }
  return {
    type: 'use_stripe_sdk',
    use_stripe_sdk: {
      type: 'three_d_secure_redirect',
      stripe_js: challengeUrl(ctx, intent),
      source: newId('src'),
      known_frame_issues: 'false',
    },
  };
}
