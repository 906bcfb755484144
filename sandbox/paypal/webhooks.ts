/**
 * PayPal webhooks: event envelopes, the RSA signing key and its self-signed certificate, the per-attempt
 * signer (PAYPAL-TRANSMISSION-ID/-TIME/-SIG, PAYPAL-CERT-URL, PAYPAL-AUTH-ALGO), and
 * `POST /v1/notifications/verify-webhook-signature`. PayPal signs
 * `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body) as unsigned decimal}` with SHA256withRSA.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, X509Certificate } from 'node:crypto';
import type { ProviderContext } from '../core/contracts';
import { PAYPAL_WEBHOOK_PATH } from '../core/defaults';
import { invalidRequest, notFound, type ErrorDetail } from './errors';
import type { ApiResponse } from './http';
import type { PaypalState, PaypalStore } from './state';
import { isoTime, paypalId } from './state';
import { selfSignedCertificate } from './x509';

export const AUTH_ALGO = 'SHA256withRSA';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE) of the UTF-8 bytes, as an unsigned integer. */
export function crc32(text: string | Buffer): number {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function signedMessage(transmissionId: string, transmissionTime: string, webhookId: string, body: string): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body)}`;
}

export interface StagedEvent {
  id: string;
  type: string;
  body: string;
}

const RESOURCE_META: Record<string, { resourceType: string; resourceVersion: string }> = {
  'CHECKOUT.ORDER.APPROVED': { resourceType: 'checkout-order', resourceVersion: '2.0' },
  'PAYMENT.CAPTURE.COMPLETED': { resourceType: 'capture', resourceVersion: '2.0' },
  'PAYMENT.CAPTURE.DENIED': { resourceType: 'capture', resourceVersion: '2.0' },
  'PAYMENT.CAPTURE.REFUNDED': { resourceType: 'refund', resourceVersion: '2.0' },
  'PAYMENT.CAPTURE.REVERSED': { resourceType: 'refund', resourceVersion: '2.0' },
  'VAULT.PAYMENT-TOKEN.CREATED': { resourceType: 'payment_token', resourceVersion: '3.0' },
  'VAULT.PAYMENT-TOKEN.DELETED': { resourceType: 'payment_token', resourceVersion: '3.0' },
  'CUSTOMER.DISPUTE.CREATED': { resourceType: 'dispute', resourceVersion: '1.0' },
  'CUSTOMER.DISPUTE.RESOLVED': { resourceType: 'dispute', resourceVersion: '1.0' },
};
export const SUPPORTED_EVENT_TYPES = Object.keys(RESOURCE_META);

/** Emits events from inside a state transaction: staged with the draft, enqueued once it commits. */
export type Emit = (eventType: string, resource: Record<string, unknown>, summary: string) => void;

export class PaypalWebhooks {
  private privateKey: ReturnType<typeof createPrivateKey> | null = null;

  constructor(
    private readonly ctx: ProviderContext,
    private readonly store: PaypalStore,
    private readonly baseUrl: () => string,
  ) {}

  private get base(): string {
    return this.baseUrl();
  }

  /** Creates the signing key and certificate on first use; both survive restarts and resets. */
  ensureKey(): void {
    if (!this.store.state.signing) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const now = this.ctx.clock.now();
      const certPem = selfSignedCertificate({
        privateKey,
        commonName: 'messageverificationcerts.sandbox.paypal.com',
        notBeforeMs: now - 86_400_000,
        notAfterMs: now + 10 * 365 * 86_400_000,
      });
      const certId = `CERT-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
      this.store.transaction((s) => {
        s.signing = { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem, certId };
      });
    }
    this.privateKey = createPrivateKey(this.store.state.signing!.privateKeyPem);
  }

  certUrl(): string {
    return `${this.base}/v1/notifications/certs/${this.store.state.signing!.certId}`;
  }

  /** The deliverer calls this for every attempt. */
  readonly signer = (body: string, attemptAtMs: number): Record<string, string> => {
    if (!this.privateKey) this.ensureKey();
    const transmissionId = randomUUID();
    const transmissionTime = isoTime(attemptAtMs);
    const message = signedMessage(transmissionId, transmissionTime, this.ctx.settings.paypal.webhookId, body);
    const signature = sign('sha256', Buffer.from(message, 'utf8'), this.privateKey!).toString('base64');
    return {
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': transmissionTime,
      'paypal-transmission-sig': signature,
      'paypal-cert-url': this.certUrl(),
      'paypal-auth-algo': AUTH_ALGO,
    };
  };

  /** Builds an event and records it in the draft state. */
  stage(draft: PaypalState, eventType: string, resource: Record<string, unknown>, summary: string): StagedEvent {
    const meta = RESOURCE_META[eventType];
    if (!meta) throw new Error(`unsupported event type ${eventType}`);
    const id = `WH-${paypalId(17)}-${paypalId(17)}`;
    const event = {
      id,
      event_version: '1.0',
      create_time: new Date(this.ctx.clock.now()).toISOString(),
      resource_type: meta.resourceType,
      resource_version: meta.resourceVersion,
      event_type: eventType,
      summary,
      resource,
      links: [
        { href: `${this.base}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
        { href: `${this.base}/v1/notifications/webhooks-events/${id}/resend`, rel: 'resend', method: 'POST' },
      ],
    };
    const body = JSON.stringify(event);
    draft.events[id] = body;
    return { id, type: eventType, body };
  }

  dispatch(events: StagedEvent[]): void {
    for (const e of events) {
      this.ctx.deliverer.enqueue({
        provider: 'paypal',
        eventId: e.id,
        eventType: e.type,
        url: `${this.ctx.settings.appUrl}${PAYPAL_WEBHOOK_PATH}`,
        body: e.body,
      });
    }
  }

  /** A state transaction that may emit events; they are delivered only if it commits. */
  mutate<T>(fn: (draft: PaypalState, emit: Emit) => T): T {
    const staged: StagedEvent[] = [];
    const result = this.store.transaction((draft) => fn(draft, (type, resource, summary) => staged.push(this.stage(draft, type, resource, summary))));
    this.dispatch(staged);
    return result;
  }

  certificate(certId: string): ApiResponse {
    const signing = this.store.state.signing;
    if (!signing || signing.certId !== certId) throw notFound('cert_id', certId);
    return { status: 200, text: signing.certPem, contentType: 'application/x-pem-file' };
  }

  /** `POST /v1/notifications/verify-webhook-signature` */
  verifyEndpoint(body: Record<string, unknown>): ApiResponse {
    const required = ['auth_algo', 'cert_url', 'transmission_id', 'transmission_sig', 'transmission_time', 'webhook_id', 'webhook_event'];
    const details: ErrorDetail[] = [];
    for (const field of required) {
      const v = body[field];
      if (v === undefined || v === null || v === '') details.push({ field, location: 'body', issue: 'MISSING_REQUIRED_PARAMETER' });
      else if (field === 'webhook_event' ? typeof v !== 'object' || Array.isArray(v) : typeof v !== 'string') {
        details.push({ field, location: 'body', issue: 'INVALID_PARAMETER_SYNTAX' });
      }
    }
    if (details.length > 0) throw invalidRequest(details);
    const ok = this.verify({
      authAlgo: body.auth_algo as string,
      certUrl: body.cert_url as string,
      transmissionId: body.transmission_id as string,
      transmissionSig: body.transmission_sig as string,
      transmissionTime: body.transmission_time as string,
      webhookId: body.webhook_id as string,
      // PayPal recomputes the CRC over the event it is given; events are compact JSON, so re-serialising
      // the parsed event reproduces the delivered bytes unless the event was altered.
      body: JSON.stringify(body.webhook_event),
    });
    return { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } };
  }

  verify(input: {
    authAlgo: string;
    certUrl: string;
    transmissionId: string;
    transmissionSig: string;
    transmissionTime: string;
    webhookId: string;
    body: string;
  }): boolean {
    const signing = this.store.state.signing;
    if (!signing || input.authAlgo !== AUTH_ALGO || input.certUrl !== this.certUrl()) return false;
    if (input.webhookId !== this.ctx.settings.paypal.webhookId) return false;
    const message = signedMessage(input.transmissionId, input.transmissionTime, input.webhookId, input.body);
    try {
      const key = new X509Certificate(signing.certPem).publicKey;
      return verify('sha256', Buffer.from(message, 'utf8'), key, Buffer.from(input.transmissionSig, 'base64'));
    } catch {
      return false;
    }
  }

  event(id: string): ApiResponse {
    const body = this.store.state.events[id];
    if (typeof body !== 'string') throw notFound('event_id', id);
    return { status: 200, body: JSON.parse(body) };
  }

  resend(id: string): ApiResponse {
    const body = this.store.state.events[id];
    if (typeof body !== 'string') throw notFound('event_id', id);
    const parsed = JSON.parse(body) as { event_type: string };
    this.dispatch([{ id, type: parsed.event_type, body }]);
    return { status: 202, body: parsed };
  }
}
