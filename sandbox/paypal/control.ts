/**
 * Control actions (POST /_sandbox/paypal/<action>): trigger an event, open/resolve a dispute, make the next
 * capture fail, approve as the buyer without a browser, void an order, expire access tokens, info.
 */
import { UnknownControlActionError } from '../core/control';
import { openDispute, resolveDispute } from './disputes';
import { PaypalApiError } from './errors';
import { expireAllTokens } from './oauth';
import { approveOrder, captureOrderById, createOrder, voidOrder } from './orders';
import { getCapture, refundCapture, reverseCapture } from './payments';
import type { Services } from './services';
import type { DeclineMode } from './state';
import { approveSetupToken, createPaymentTokenFromSetup, createSetupToken, deletePaymentToken, getPaymentToken } from './vault';
import { SUPPORTED_EVENT_TYPES } from './webhooks';
import type { Json } from './validate';

export class ControlError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const str = (body: Json, key: string): string => {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new ControlError(`\`${key}\` is required`);
  return v;
};

function declineMode(v: unknown): DeclineMode {
  if (v === undefined || v === true || v === 'DECLINED') return 'DECLINED';
  if (v === 'INSTRUMENT_DECLINED') return 'INSTRUMENT_DECLINED';
  throw new ControlError('`mode` must be DECLINED or INSTRUMENT_DECLINED');
}

/** A fresh order approved by the sandbox buyer (for `trigger` without a resource). */
function approvedOrder(svc: Services, decline?: DeclineMode): string {
  const clientId = svc.ctx.settings.paypal.clientId;
  const order = createOrder(
    svc,
    { intent: 'CAPTURE', purchase_units: [{ reference_id: 'default', amount: { currency_code: 'USD', value: '10.00' } }] },
    clientId,
    undefined,
  );
  approveOrder(svc, order.id, decline ? { decline } : {});
  return order.id;
}

function capturedCapture(svc: Services): string {
  const order = captureOrderById(svc, approvedOrder(svc));
  return order.purchaseUnits[0].captureIds[0];
}

function trigger(svc: Services, body: Json): unknown {
  const type = str(body, 'event_type');
  if (!SUPPORTED_EVENT_TYPES.includes(type)) throw new ControlError(`unsupported event_type; one of ${SUPPORTED_EVENT_TYPES.join(', ')}`);
  const resourceId = typeof body.resource_id === 'string' ? body.resource_id : undefined;
  switch (type) {
    case 'CHECKOUT.ORDER.APPROVED':
      return { order_id: resourceId ? approveOrder(svc, resourceId).id : approvedOrder(svc) };
    case 'PAYMENT.CAPTURE.COMPLETED':
      return { order_id: captureOrderById(svc, resourceId ?? approvedOrder(svc)).id };
    case 'PAYMENT.CAPTURE.DENIED': {
      const id = resourceId ?? approvedOrder(svc, 'DECLINED');
      if (resourceId) svc.store.transaction((s) => void (s.orders[id] && (s.orders[id].declineOnCapture = 'DECLINED')));
      return { order_id: captureOrderById(svc, id).id };
    }
    case 'PAYMENT.CAPTURE.REFUNDED': {
      const captureId = resourceId ?? capturedCapture(svc);
      return { capture_id: captureId, refund_id: refundCapture(svc, captureId, {}).id };
    }
    case 'PAYMENT.CAPTURE.REVERSED': {
      const captureId = resourceId ?? capturedCapture(svc);
      const capture = getCapture(svc, captureId);
      const reversal = svc.hooks.mutate((draft, emit) => reverseCapture(svc, draft, captureId, capture.amountMinor, emit));
      if (!reversal) throw new ControlError('nothing left to reverse on this capture', 422);
      return { capture_id: captureId, refund_id: reversal.id };
    }
    case 'VAULT.PAYMENT-TOKEN.CREATED':
    case 'VAULT.PAYMENT-TOKEN.DELETED': {
      let tokenId = resourceId;
      if (!tokenId || type === 'VAULT.PAYMENT-TOKEN.CREATED') {
        const setup = createSetupToken(svc, { payment_source: { paypal: { usage_type: 'MERCHANT' } } }, svc.ctx.settings.paypal.clientId);
        approveSetupToken(svc, setup.id);
        tokenId = createPaymentTokenFromSetup(svc, { payment_source: { token: { id: setup.id, type: 'SETUP_TOKEN' } } }).id;
      }
      if (type === 'VAULT.PAYMENT-TOKEN.DELETED') deletePaymentToken(svc, tokenId);
      return { payment_token_id: getPaymentTokenSafe(svc, tokenId) };
    }
    case 'CUSTOMER.DISPUTE.CREATED':
      return { dispute_id: openDispute(svc, { capture_id: resourceId ?? capturedCapture(svc) }).id };
    case 'CUSTOMER.DISPUTE.RESOLVED': {
      const disputeId = resourceId ?? openDispute(svc, { capture_id: capturedCapture(svc) }).id;
      return { dispute_id: resolveDispute(svc, disputeId, body.outcome ?? 'seller').id };
    }
  }
  return null;
}

function getPaymentTokenSafe(svc: Services, id: string): string {
  try {
    return getPaymentToken(svc, id).id;
  } catch {
    return id;
  }
}

export function runControl(svc: Services, action: string, body: Json): unknown {
  try {
    switch (action) {
      case 'info':
        return {
          api_base: `${svc.ctx.settings.origin}/paypal`,
          sdk_base_url: `${svc.ctx.settings.origin}/paypal/sdk/js`,
          client_id: svc.ctx.settings.paypal.clientId,
          webhook_id: svc.ctx.settings.paypal.webhookId,
          cert_url: svc.hooks.certUrl(),
          webhook_url: `${svc.ctx.settings.appUrl}/api/webhooks/paypal`,
          event_types: SUPPORTED_EVENT_TYPES,
          decline_next: svc.store.state.declineNext,
        };
      case 'trigger':
        return trigger(svc, body);
      case 'open_dispute':
        return svc.render.dispute(openDispute(svc, body), svc.store.state);
      case 'resolve_dispute':
        return svc.render.dispute(resolveDispute(svc, str(body, 'dispute_id'), body.outcome), svc.store.state);
      case 'decline_next_capture': {
        const mode = declineMode(body.mode);
        const count = body.count === undefined ? 1 : Number(body.count);
        if (!Number.isInteger(count) || count < 1 || count > 100) throw new ControlError('`count` must be an integer from 1 to 100');
        svc.store.transaction((s) => s.declineNext.push(...Array<DeclineMode>(count).fill(mode)));
        return { decline_next: svc.store.state.declineNext };
      }
      case 'approve_order': {
        const decline = body.decline === undefined || body.decline === false ? undefined : declineMode(body.decline);
        const order = approveOrder(svc, str(body, 'order_id'), decline ? { decline } : {});
        return svc.render.order(order, svc.store.state);
      }
      case 'approve_setup_token':
        return svc.render.setupToken(approveSetupToken(svc, str(body, 'setup_token_id')));
      case 'void_order':
        return svc.render.order(voidOrder(svc, str(body, 'order_id')), svc.store.state);
      case 'expire_tokens':
        return { expired: expireAllTokens(svc.store, svc.ctx.clock) };
      default:
        throw new UnknownControlActionError(`unknown PayPal control action: ${action}`);
    }
  } catch (err) {
    if (err instanceof PaypalApiError) {
      const issue = err.details.map((d) => `${d.issue}${d.field ? ` (${d.field})` : ''}`).join(', ');
      throw new ControlError(`${err.errorName}${issue ? `: ${issue}` : ''}`, err.status);
    }
    throw err;
  }
}
