/**
 * A minimal DER encoder for one self-signed X.509 (v1) certificate: RSA key, sha256WithRSAEncryption.
 * Node 20 parses certificates (`crypto.X509Certificate`) but cannot create them; PayPal serves an X.509 PEM
 * at PAYPAL-CERT-URL, so the sandbox does too.
 */
import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1] & 0x80) === 0) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0] + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = Number(iso.slice(0, 4));
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

function name(commonName: string, organization: string): Buffer {
  const attr = (type: string, tag: number, value: string) => set(sequence(oid(type), tlv(tag, Buffer.from(value, 'utf8'))));
  return sequence(attr('2.5.4.6', 0x13, 'US'), attr('2.5.4.10', 0x0c, organization), attr('2.5.4.3', 0x0c, commonName));
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

export interface SelfSignedOptions {
  privateKey: KeyObject;
  commonName: string;
  organization?: string;
  notBeforeMs: number;
  notAfterMs: number;
}

/** Returns the certificate as PEM. */
export function selfSignedCertificate(options: SelfSignedOptions): string {
  const spki = createPublicKey(options.privateKey).export({ type: 'spki', format: 'der' });
  const dn = name(options.commonName, options.organization ?? 'PayPal Sandbox (offline)');
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = sequence(
    integer(serial),
    SHA256_WITH_RSA,
    dn,
    sequence(time(options.notBeforeMs), time(options.notAfterMs)),
    dn,
    spki,
  );
  const signature = sign('sha256', tbs, options.privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
