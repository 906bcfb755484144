/** Password hashing with argon2id (memory-hard), at OWASP's recommended cost. */
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

const COMMON_PASSWORDS = new Set([
  'password', 'password1', 'password12', 'password123', 'passw0rd', '1234567890', '12345678910', 'qwertyuiop',
  'letmein123', 'iloveyou12', 'welcome123', 'admin12345', 'changeme123', 'qwerty1234', 'abc1234567',
]);

/** The password policy: long enough, not a well-known password, not the email address. */
export const newPasswordSchema = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(128, 'Use at most 128 characters.')
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), 'This password is too common; choose another.')
  .refine((p) => new Set(p).size >= 4, 'This password is too simple; mix more different characters.');
