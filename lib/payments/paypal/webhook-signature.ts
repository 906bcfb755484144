/**
 * Verifies a PayPal webhook offline, as PayPal documents: the transmission headers, the configured
 * webhook id and the CRC-32 of the raw body, signed SHA256withRSA with the key in PayPal's
 * certificate. Certificates are fetched only from PayPal's own API host (or the local sandbox's) and
 * cached by URL.
 */
import { X509Certificate, verify } from 'node:crypto';
import { crc32 } from 'node:zlib';

export interface PaypalTransmission {
  transmissionId: string;
  transmissionTime: string;
  transmissionSig: string;
  certUrl: string;
  authAlgo: string;
}

export interface VerifiedPaypalEvent {
  id: string;
  type: string;
  payload: { id: string; event_type: string; resource?: Record<string, unknown> } & Record<string, unknown>;
}

const MAX_CLOCK_SKEW_SECONDS = 300;
const certificates = new Map<string, Promise<X509Certificate>>();

export function transmissionFromHeaders(headers: Headers): PaypalTransmission | null {
  const get = (name: string) => headers.get(name)?.trim() ?? '';
  const transmission = {
    transmissionId: get('paypal-transmission-id'),
    transmissionTime: get('paypal-transmission-time'),
    transmissionSig: get('paypal-transmission-sig'),
    certUrl: get('paypal-cert-url'),
    authAlgo: get('paypal-auth-algo'),
  };
  return Object.values(transmission).every(Boolean) ? transmission : null;
}

async function certificateAt(url: string, fetchImpl: typeof fetch): Promise<X509Certificate> {
  let pending = certificates.get(url);
  if (!pending) {
    pending = (async () => {
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`certificate fetch answered ${response.status}`);
      const certificate = new X509Certificate(await response.text());
      if (new Date(certificate.validTo).getTime() < Date.now()) throw new Error('certificate has expired');
      return certificate;
    })();
    certificates.set(url, pending);
    pending.catch(() => certificates.delete(url));
  }
  return pending;
}

export async function verifyPaypalWebhook(
  rawBody: string,
  transmission: PaypalTransmission,
  options: { webhookId: string; trustedCertOrigins: string[]; now?: Date; fetchImpl?: typeof fetch },
): Promise<VerifiedPaypalEvent> {
  if (transmission.authAlgo !== 'SHA256withRSA') throw new Error('unsupported auth algorithm');
  const certUrl = new URL(transmission.certUrl);
  if (!options.trustedCertOrigins.includes(certUrl.origin)) throw new Error('certificate URL is not on a trusted PayPal host');
  const sentAt = Date.parse(transmission.transmissionTime);
  const now = (options.now ?? new Date()).getTime();
  if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > MAX_CLOCK_SKEW_SECONDS * 1000) throw new Error('transmission time outside tolerance');
  const message = `${transmission.transmissionId}|${transmission.transmissionTime}|${options.webhookId}|${crc32(Buffer.from(rawBody, 'utf8'))}`;
  const certificate = await certificateAt(certUrl.toString(), options.fetchImpl ?? fetch);
  const valid = verify('sha256', Buffer.from(message), certificate.publicKey, Buffer.from(transmission.transmissionSig, 'base64'));
  if (!valid) throw new Error('signature does not match');
  const payload = JSON.parse(rawBody) as VerifiedPaypalEvent['payload'];
  if (typeof payload.id !== 'string' || typeof payload.event_type !== 'string') throw new Error('event has no id or event_type');
  return { id: payload.id, type: payload.event_type, payload };
}

/**
 * Where PayPal's certificates may come from: PayPal's API hosts of the configured environment, fetched
 * over HTTPS (which vouches for them), or the local sandbox's own origin.
 */
export function trustedPaypalCertOrigins(apiBase: string): string[] {
  const origin = new URL(apiBase).origin;
  if (origin.endsWith('.sandbox.paypal.com')) return ['https://api.sandbox.paypal.com', 'https://api-m.sandbox.paypal.com'];
  if (origin.endsWith('.paypal.com')) return ['https://api.paypal.com', 'https://api-m.paypal.com'];
  return [origin];
}
