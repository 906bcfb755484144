import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { oid, selfSignedCertificate, tlv } from './x509';

describe('minimal DER / X.509 encoder', () => {
  it('encodes lengths in short and long form', () => {
    expect([...tlv(0x04, Buffer.alloc(3)).subarray(0, 2)]).toEqual([0x04, 3]);
    expect([...tlv(0x04, Buffer.alloc(200)).subarray(0, 3)]).toEqual([0x04, 0x81, 200]);
    expect([...tlv(0x04, Buffer.alloc(300)).subarray(0, 4)]).toEqual([0x04, 0x82, 0x01, 0x2c]);
  });

  it('encodes object identifiers (sha256WithRSAEncryption, commonName)', () => {
    expect(oid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(oid('2.5.4.3').toString('hex')).toBe('0603550403');
  });

  it('produces a self-signed certificate that Node parses and verifies, valid for the given period', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const notBefore = Date.UTC(2026, 0, 1);
    const notAfter = Date.UTC(2055, 0, 1); // after 2049: GeneralizedTime
    const cert = new X509Certificate(selfSignedCertificate({ privateKey, commonName: 'example.test', notBeforeMs: notBefore, notAfterMs: notAfter }));
    expect(cert.subject).toContain('CN=example.test');
    expect(cert.issuer).toBe(cert.subject);
    expect(Date.parse(cert.validFrom)).toBe(notBefore);
    expect(Date.parse(cert.validTo)).toBe(notAfter);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(cert.verify(other)).toBe(false);
  });
});
