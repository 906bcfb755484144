/**
 * API keys for the usage ingestion API, one per SaaS backend. A key is 32 random bytes shown once;
 * only its SHA-256 is stored (a key this random needs no slow hash), so a leaked database does not
 * leak working keys. Revoked keys stop working at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { apiKeys, type ApiKey } from '@/db/schema';
import { writeAudit } from '@/lib/audit';

const KEY_PREFIX = 'usk_';
const KEY_PATTERN = /^usk_[A-Za-z0-9_-]{43}$/;

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export class ApiKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyError';
  }
}

/** A new key for `name`; the returned `key` is the only time the full key exists outside the caller. */
export async function createApiKey(db: Database, input: { name: string; createdBy: string }): Promise<{ key: string; record: ApiKey }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw new ApiKeyError('Give the key a name of 1 to 100 characters, such as the backend that will use it.');
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const [record] = await tx.insert(apiKeys).values({ name, prefix: key.slice(0, 12), keyHash: hashKey(key), createdBy: input.createdBy }).returning();
    await writeAudit(tx, { actorType: 'user', actorId: input.createdBy, action: 'api_key.created', entityType: 'api_key', entityId: record.id, after: { name, prefix: record.prefix } });
    return { key, record };
  });
}

/** The live key a request's `Authorization: Bearer usk_…` names, or null (missing, malformed, unknown or revoked). */
export async function authenticateApiKey(db: DbOrTx, authorization: string | null): Promise<ApiKey | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match || !KEY_PATTERN.test(match[1])) return null;
  const [key] = await db.select().from(apiKeys).where(and(eq(apiKeys.keyHash, hashKey(match[1])), isNull(apiKeys.revokedAt)));
  return key ?? null;
}

export async function revokeApiKey(db: Database, input: { id: string; actorId: string; now: Date }): Promise<ApiKey | null> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx.update(apiKeys).set({ revokedAt: input.now }).where(and(eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt))).returning();
    if (revoked) await writeAudit(tx, { actorType: 'user', actorId: input.actorId, action: 'api_key.revoked', entityType: 'api_key', entityId: revoked.id, before: { revokedAt: null }, after: { revokedAt: input.now.toISOString() } });
    return revoked ?? null;
  });
}

export function listApiKeys(db: DbOrTx): Promise<ApiKey[]> {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
}
