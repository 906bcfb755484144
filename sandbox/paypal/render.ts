/** Renders stored records as PayPal's JSON resources (Orders v2, Payments v2, Vault v3, Disputes v1). */
import { money } from './money';
import type {
  CaptureRecord,
  DisputeRecord,
  OrderRecord,
  Payer,
  PaymentTokenRecord,
  PaypalState,
  RefundRecord,
  SetupTokenRecord,
} from './state';
import { isoTime } from './state';

export const MERCHANT = { email_address: 'merchant@sandbox.example.com', merchant_id: 'SANDBXMERCHNT' };
export const MERCHANT_NAME = 'Sandbox Merchant';

type Link = { href: string; rel: string; method: string };
const link = (href: string, rel: string, method = 'GET'): Link => ({ href, rel, method });

/** `base` is the API base, e.g. http://127.0.0.1:12111/paypal. */
export class Renderer {
  /** `baseUrl()` is read per call: the server learns its port only once it listens. */
  constructor(private readonly baseUrl: () => string) {}

  get base(): string {
    return this.baseUrl();
  }

  approveUrl(orderId: string): string {
    return `${this.base}/checkoutnow?token=${orderId}`;
  }

  setupApproveUrl(tokenId: string): string {
    return `${this.base}/agreements/approve?approval_session_id=${tokenId}`;
  }

  capture(c: CaptureRecord): Record<string, unknown> {
    const links = [link(`${this.base}/v2/payments/captures/${c.id}`, 'self')];
    if (c.status === 'COMPLETED' || c.status === 'PARTIALLY_REFUNDED') {
      links.push(link(`${this.base}/v2/payments/captures/${c.id}/refund`, 'refund', 'POST'));
    }
    links.push(link(`${this.base}/v2/checkout/orders/${c.orderId}`, 'up'));
    const out: Record<string, unknown> = {
      id: c.id,
      status: c.status,
      amount: money(c.amountMinor, c.currency),
      final_capture: true,
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
      ...(c.statusReason ? { status_details: { reason: c.statusReason } } : {}),
      ...(c.invoice_id ? { invoice_id: c.invoice_id } : {}),
      ...(c.custom_id ? { custom_id: c.custom_id } : {}),
      links,
      create_time: c.createTime,
      update_time: c.updateTime,
    };
    if (c.status !== 'DECLINED' && c.status !== 'FAILED') {
      out.seller_receivable_breakdown = {
        gross_amount: money(c.amountMinor, c.currency),
        paypal_fee: money(c.feeMinor, c.currency),
        net_amount: money(c.amountMinor - c.feeMinor, c.currency),
      };
    }
    return out;
  }

  /** Payments v2 capture (adds payee and supplementary data). */
  captureResource(c: CaptureRecord): Record<string, unknown> {
    return { ...this.capture(c), supplementary_data: { related_ids: { order_id: c.orderId } }, payee: MERCHANT };
  }

  refund(r: RefundRecord, capture: CaptureRecord | undefined): Record<string, unknown> {
    const totalRefunded = capture ? capture.refundedMinor : r.amountMinor;
    return {
      id: r.id,
      amount: money(r.amountMinor, r.currency),
      status: r.status,
      ...(r.invoice_id ? { invoice_id: r.invoice_id } : {}),
      ...(r.custom_id ? { custom_id: r.custom_id } : {}),
      ...(r.note_to_payer ? { note_to_payer: r.note_to_payer } : {}),
      seller_payable_breakdown: {
        gross_amount: money(r.amountMinor, r.currency),
        paypal_fee: money(0, r.currency),
        net_amount: money(r.amountMinor, r.currency),
        total_refunded_amount: money(totalRefunded, r.currency),
      },
      payer: MERCHANT,
      links: [link(`${this.base}/v2/payments/refunds/${r.id}`, 'self'), link(`${this.base}/v2/payments/captures/${r.captureId}`, 'up')],
      create_time: r.createTime,
      update_time: r.updateTime,
    };
  }

  private wallet(payer: Payer): Record<string, unknown> {
    return {
      email_address: payer.email,
      account_id: payer.payerId,
      account_status: 'VERIFIED',
      name: { given_name: payer.givenName, surname: payer.surname },
      address: { country_code: payer.countryCode },
    };
  }

  private payer(payer: Payer): Record<string, unknown> {
    return {
      name: { given_name: payer.givenName, surname: payer.surname },
      email_address: payer.email,
      payer_id: payer.payerId,
      address: { country_code: payer.countryCode },
    };
  }

  orderLinks(o: OrderRecord): Link[] {
    const self = link(`${this.base}/v2/checkout/orders/${o.id}`, 'self');
    switch (o.status) {
      case 'CREATED':
        return [
          self,
          link(this.approveUrl(o.id), 'approve'),
          link(`${this.base}/v2/checkout/orders/${o.id}`, 'update', 'PATCH'),
          link(`${this.base}/v2/checkout/orders/${o.id}/capture`, 'capture', 'POST'),
        ];
      case 'PAYER_ACTION_REQUIRED':
        return [self, link(this.approveUrl(o.id), 'payer-action')];
      case 'APPROVED':
        return [
          self,
          link(`${this.base}/v2/checkout/orders/${o.id}`, 'update', 'PATCH'),
          link(`${this.base}/v2/checkout/orders/${o.id}/capture`, 'capture', 'POST'),
        ];
      default:
        return [self];
    }
  }

  paymentSource(o: OrderRecord, state: PaypalState): Record<string, unknown> | undefined {
    if (!o.payer && !o.paypalSource && !o.vaultId) return undefined;
    const paypal: Record<string, unknown> = o.payer ? this.wallet(o.payer) : {};
    if (o.vaultedTokenId) {
      const token = state.paymentTokens[o.vaultedTokenId];
      paypal.attributes = {
        vault: {
          id: o.vaultedTokenId,
          status: 'VAULTED',
          customer: { id: token?.customerId ?? o.customerId },
          links: [link(`${this.base}/v3/vault/payment-tokens/${o.vaultedTokenId}`, 'self')],
        },
      };
    }
    return { paypal };
  }

  order(o: OrderRecord, state: PaypalState): Record<string, unknown> {
    const source = this.paymentSource(o, state);
    return {
      id: o.id,
      intent: o.intent,
      status: o.status,
      ...(source ? { payment_source: source } : {}),
      purchase_units: o.purchaseUnits.map((u) => {
        const captures = u.captureIds.map((id) => state.captures[id]).filter(Boolean);
        const refunds = captures.flatMap((c) => c.refundIds.map((id) => state.refunds[id]).filter(Boolean));
        return {
          reference_id: u.reference_id,
          amount: u.amount,
          payee: MERCHANT,
          ...(u.description ? { description: u.description } : {}),
          ...(u.custom_id ? { custom_id: u.custom_id } : {}),
          ...(u.invoice_id ? { invoice_id: u.invoice_id } : {}),
          ...(u.soft_descriptor ? { soft_descriptor: u.soft_descriptor } : {}),
          ...(u.items ? { items: u.items } : {}),
          ...(captures.length > 0
            ? {
                payments: {
                  captures: captures.map((c) => this.capture(c)),
                  ...(refunds.length > 0 ? { refunds: refunds.map((r) => this.refund(r, state.captures[r.captureId])) } : {}),
                },
              }
            : {}),
        };
      }),
      ...(o.payer ? { payer: this.payer(o.payer) } : {}),
      create_time: o.createTime,
      update_time: o.updateTime,
      links: this.orderLinks(o),
    };
  }

  /** What PayPal returns without `Prefer: return=representation` on create. */
  orderMinimal(o: OrderRecord, state: PaypalState): Record<string, unknown> {
    const source = this.paymentSource(o, state);
    return { id: o.id, status: o.status, ...(source ? { payment_source: source } : {}), links: this.orderLinks(o) };
  }

  /** What capture returns by default: captures, payer and payment source, no amounts breakdown. */
  orderAfterCapture(o: OrderRecord, state: PaypalState): Record<string, unknown> {
    const full = this.order(o, state);
    const units = (full.purchase_units as Array<Record<string, unknown>>).map((u) => ({ reference_id: u.reference_id, payments: u.payments }));
    return {
      id: o.id,
      status: o.status,
      ...(full.payment_source ? { payment_source: full.payment_source } : {}),
      purchase_units: units,
      ...(full.payer ? { payer: full.payer } : {}),
      links: full.links,
    };
  }

  setupToken(t: SetupTokenRecord): Record<string, unknown> {
    const links =
      t.status === 'PAYER_ACTION_REQUIRED'
        ? [link(this.setupApproveUrl(t.id), 'approve'), link(`${this.base}/v3/vault/setup-tokens/${t.id}`, 'self')]
        : [link(`${this.base}/v3/vault/setup-tokens/${t.id}`, 'self'), link(`${this.base}/v3/vault/payment-tokens`, 'confirm', 'POST')];
    return {
      id: t.id,
      customer: { id: t.customerId },
      status: t.status,
      payment_source: {
        paypal: {
          usage_type: t.usageType,
          ...(t.payer ? { email_address: t.payer.email, payer_id: t.payer.payerId, name: { given_name: t.payer.givenName, surname: t.payer.surname } } : {}),
        },
      },
      links,
    };
  }

  paymentToken(t: PaymentTokenRecord): Record<string, unknown> {
    return {
      id: t.id,
      customer: { id: t.customerId },
      payment_source: {
        paypal: {
          usage_type: t.usageType,
          email_address: t.payer.email,
          payer_id: t.payer.payerId,
          name: { given_name: t.payer.givenName, surname: t.payer.surname },
          address: { country_code: t.payer.countryCode },
        },
      },
      links: [link(`${this.base}/v3/vault/payment-tokens/${t.id}`, 'self'), link(`${this.base}/v3/vault/payment-tokens/${t.id}`, 'delete', 'DELETE')],
    };
  }

  dispute(d: DisputeRecord, state: PaypalState): Record<string, unknown> {
    const capture = state.captures[d.captureId];
    const order = capture ? state.orders[capture.orderId] : undefined;
    const unit = order && capture ? order.purchaseUnits[capture.unitIndex] : undefined;
    const due = isoTime(Date.parse(d.createTime) + 20 * 86_400_000);
    return {
      dispute_id: d.id,
      create_time: d.createTime,
      update_time: d.updateTime,
      disputed_transactions: [
        {
          seller_transaction_id: d.captureId,
          create_time: capture?.createTime ?? d.createTime,
          transaction_status: capture?.status === 'REFUNDED' ? 'REFUNDED' : 'COMPLETED',
          gross_amount: money(capture?.amountMinor ?? d.amountMinor, d.currency),
          ...(unit?.invoice_id ? { invoice_number: unit.invoice_id } : {}),
          ...(unit?.custom_id ? { custom: unit.custom_id } : {}),
          buyer: { name: order?.payer ? `${order.payer.givenName} ${order.payer.surname}` : 'Sandbox Buyer' },
          seller: { merchant_id: MERCHANT.merchant_id, name: MERCHANT_NAME },
        },
      ],
      reason: d.reason,
      status: d.status,
      dispute_amount: money(d.amountMinor, d.currency),
      ...(d.outcome
        ? {
            dispute_outcome: {
              outcome_code: d.outcome,
              ...(d.outcome === 'RESOLVED_BUYER_FAVOUR' ? { amount_refunded: money(d.amountMinor, d.currency) } : {}),
            },
          }
        : {}),
      dispute_life_cycle_stage: d.stage,
      dispute_channel: 'INTERNAL',
      ...(d.status !== 'RESOLVED' ? { seller_response_due_date: due } : {}),
      links: [link(`${this.base}/v1/customer/disputes/${d.id}`, 'self')],
    };
  }

  disputeSummary(d: DisputeRecord): Record<string, unknown> {
    return {
      dispute_id: d.id,
      create_time: d.createTime,
      update_time: d.updateTime,
      reason: d.reason,
      status: d.status,
      dispute_amount: money(d.amountMinor, d.currency),
      dispute_life_cycle_stage: d.stage,
      dispute_channel: 'INTERNAL',
      links: [link(`${this.base}/v1/customer/disputes/${d.id}`, 'self')],
    };
  }
}
