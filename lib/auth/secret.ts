/** The key that signs session cookies: AUTH_SECRET, or outside production one generated once and kept in DATA_DIR. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '@/lib/config';

export function resolveAuthSecret(config: Pick<AppConfig, 'authSecret' | 'dataDir' | 'appEnv'>): string {
  if (config.authSecret) return config.authSecret;
  if (config.appEnv === 'production') throw new Error('AUTH_SECRET is required with APP_ENV=production');
  const file = path.resolve(config.dataDir, 'auth-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not created yet
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // 'wx' refuses to overwrite a secret another process wrote a moment ago; then read theirs.
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}
