'use server';

import { revalidatePath } from 'next/cache';
import { requireRole } from '@/lib/auth/guards';
import { isUuid } from '@/lib/ids';
import { getRuntime } from '@/lib/runtime';
import { ApiKeyError, createApiKey, revokeApiKey } from '@/lib/usage/api-keys';

export interface ApiKeyFormState {
  error?: string;
  /** The new key, shown this once. */
  created?: { name: string; key: string };
  done?: string;
}

export async function createApiKeyAction(_previous: ApiKeyFormState, form: FormData): Promise<ApiKeyFormState> {
  const admin = await requireRole(['admin'], '/admin/api-keys');
  const { db } = await getRuntime();
  try {
    const { key, record } = await createApiKey(db, { name: String(form.get('name') ?? ''), createdBy: admin.id });
    revalidatePath('/admin/api-keys');
    return { created: { name: record.name, key } };
  } catch (error) {
    if (error instanceof ApiKeyError) return { error: error.message };
    throw error;
  }
}

export async function revokeApiKeyAction(_previous: ApiKeyFormState, form: FormData): Promise<ApiKeyFormState> {
  const admin = await requireRole(['admin'], '/admin/api-keys');
  const { db } = await getRuntime();
  const id = String(form.get('id') ?? '');
  const revoked = isUuid(id) ? await revokeApiKey(db, { id, actorId: admin.id, now: new Date() }) : null;
  revalidatePath('/admin/api-keys');
  return revoked ? { done: `Key "${revoked.name}" is revoked; requests with it now get 401.` } : { error: 'This key was not found or is already revoked.' };
}
