/** Stripe-shaped identifiers: `pi_3P...` (24 base62 characters), client secrets `pi_..._secret_...`. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length; i++) {
    const b = bytes[i % bytes.length];
    if (b < 248) out += ALPHABET[b % 62];
    else if (i >= bytes.length) out += ALPHABET[b % 62];
  }
  return out;
}

export const newId = (prefix: string) => `${prefix}_${randomBase62(24)}`;

export const newClientSecret = (id: string) => `${id}_secret_${randomBase62(25)}`;

export const newRequestId = () => `req_${randomBase62(14)}`;
