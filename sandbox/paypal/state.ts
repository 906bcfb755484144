/**
 * The PayPal half's state: orders, captures, refunds, vault tokens, disputes, access tokens, idempotency
 * replies and the webhook signing key, persisted atomically to `${stateDir}/paypal.json`.
 */
import { randomBytes } from 'node:crypto';
import { JsonFileStore } from '../core/persistence';
import type { PaypalMoney } from './money';

export type OrderStatus = 'CREATED' | 'SAVED' | 'APPROVED' | 'VOIDED' | 'COMPLETED' | 'PAYER_ACTION_REQUIRED';
export type CaptureStatus = 'COMPLETED' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'PENDING' | 'REFUNDED' | 'FAILED';
export type DeclineMode = 'DECLINED' | 'INSTRUMENT_DECLINED';

export interface Payer {
  payerId: string;
  email: string;
  givenName: string;
  surname: string;
  countryCode: string;
}

export interface PurchaseUnitRecord {
  reference_id: string;
  /** The amount as the merchant sent it (with its breakdown), echoed back. */
  amount: PaypalMoney & { breakdown?: unknown };
  amountMinor: number;
  currency: string;
  description?: string;
  custom_id?: string;
  invoice_id?: string;
  soft_descriptor?: string;
  items?: unknown[];
  captureIds: string[];
}

export interface VaultRequest {
  storeInVault: string;
  usageType: string;
  customerType?: string;
  customerId?: string;
}

export interface OrderRecord {
  id: string;
  intent: 'CAPTURE';
  status: OrderStatus;
  createTime: string;
  /** Sandbox time in ms, for expiry. */
  createdAt: number;
  updateTime: string;
  clientId: string;
  purchaseUnits: PurchaseUnitRecord[];
  /** `payment_source.paypal` was sent at creation (status PAYER_ACTION_REQUIRED, rel payer-action). */
  paypalSource?: { experienceContext?: Record<string, unknown>; vault?: VaultRequest };
  /** The deprecated `application_context` (return_url, cancel_url, brand_name). */
  applicationContext?: Record<string, unknown>;
  /** Charged with a saved token (`vault_id` or `token`): the buyer is not present. */
  vaultId?: string;
  payer?: Payer;
  /** Set by the buyer's choice or `decline_next_capture`: how the capture of this order fails. */
  declineOnCapture?: DeclineMode;
  /** The payment token created on a successful capture when the order asked to vault. */
  vaultedTokenId?: string;
  customerId?: string;
}

export interface CaptureRecord {
  id: string;
  orderId: string;
  unitIndex: number;
  amountMinor: number;
  currency: string;
  feeMinor: number;
  status: CaptureStatus;
  statusReason?: string;
  refundedMinor: number;
  /** Taken back by PayPal after a dispute the buyer won (or a `trigger` of PAYMENT.CAPTURE.REVERSED). */
  reversedMinor: number;
  refundIds: string[];
  disputeIds: string[];
  createTime: string;
  updateTime: string;
  custom_id?: string;
  invoice_id?: string;
}

export interface RefundRecord {
  id: string;
  captureId: string;
  amountMinor: number;
  currency: string;
  status: 'COMPLETED' | 'CANCELLED' | 'PENDING' | 'FAILED';
  createTime: string;
  updateTime: string;
  invoice_id?: string;
  custom_id?: string;
  note_to_payer?: string;
  /** A reversal (chargeback / dispute lost), not a merchant refund. */
  reversal?: boolean;
}

export interface SetupTokenRecord {
  id: string;
  status: 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'VAULTED';
  customerId: string;
  usageType: string;
  experienceContext?: Record<string, unknown>;
  createTime: string;
  /** Sandbox time in ms, for expiry. */
  createdAt: number;
  payer?: Payer;
  paymentTokenId?: string;
  clientId: string;
}

export interface PaymentTokenRecord {
  id: string;
  customerId: string;
  payer: Payer;
  usageType: string;
  createTime: string;
  deleted: boolean;
}

export type DisputeStatus = 'OPEN' | 'WAITING_FOR_BUYER_RESPONSE' | 'WAITING_FOR_SELLER_RESPONSE' | 'UNDER_REVIEW' | 'RESOLVED' | 'OTHER';

export interface DisputeRecord {
  id: string;
  captureId: string;
  reason: string;
  status: DisputeStatus;
  stage: 'INQUIRY' | 'CHARGEBACK' | 'PRE_ARBITRATION' | 'ARBITRATION';
  amountMinor: number;
  currency: string;
  createTime: string;
  updateTime: string;
  outcome?: 'RESOLVED_BUYER_FAVOUR' | 'RESOLVED_SELLER_FAVOUR' | 'CANCELED_BY_BUYER';
  /** The capture's status before the dispute reversed it (to restore on a seller win). */
  reversedFrom?: CaptureStatus;
}

export interface StoredReply {
  status: number;
  body: unknown;
  at: number;
}

export interface PaypalState {
  version: 1;
  tokens: Record<string, { clientId: string; expiresAt: number }>;
  orders: Record<string, OrderRecord>;
  captures: Record<string, CaptureRecord>;
  refunds: Record<string, RefundRecord>;
  setupTokens: Record<string, SetupTokenRecord>;
  paymentTokens: Record<string, PaymentTokenRecord>;
  disputes: Record<string, DisputeRecord>;
  idempotency: Record<string, StoredReply>;
  /** Every event emitted, by id (the webhook body), for `GET /v1/notifications/webhooks-events/{id}`. */
  events: Record<string, unknown>;
  declineNext: DeclineMode[];
  /** Webhook signing key and its self-signed certificate (kept across `reset`). */
  signing?: { privateKeyPem: string; certPem: string; certId: string };
}

export function emptyState(): PaypalState {
  return {
    version: 1,
    tokens: {},
    orders: {},
    captures: {},
    refunds: {},
    setupTokens: {},
    paymentTokens: {},
    disputes: {},
    idempotency: {},
    events: {},
    declineNext: [],
  };
}

const STATE_NAME = 'paypal';

export class PaypalStore {
  private readonly files: JsonFileStore;
  state: PaypalState;

  constructor(stateDir: string) {
    this.files = new JsonFileStore(stateDir);
    const loaded = this.files.read<PaypalState>(STATE_NAME);
    this.state = loaded && loaded.version === 1 ? { ...emptyState(), ...loaded } : emptyState();
  }

  /** Atomic (temp file + rename). */
  save(): void {
    this.files.write(STATE_NAME, this.state);
  }

  /** Runs `fn` on a copy of the state; commits and saves only if it returns (a thrown error changes nothing). */
  transaction<T>(fn: (state: PaypalState) => T): T {
    const draft = structuredClone(this.state);
    const result = fn(draft);
    this.state = draft;
    this.save();
    return result;
  }

  reset(): void {
    const signing = this.state.signing;
    const tokens = this.state.tokens;
    this.state = { ...emptyState(), tokens, ...(signing ? { signing } : {}) };
    this.save();
  }
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** PayPal-looking ids: 17 uppercase alphanumerics for orders, captures, refunds and setup tokens. */
export function paypalId(length = 17, alphabet = ALNUM): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** Payer ids use PayPal's alphabet (no 0, 1, I, O) and 13 characters. */
export const payerIdAlphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
