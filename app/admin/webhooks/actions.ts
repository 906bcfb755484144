'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireRole } from '@/lib/auth/guards';
import { getRuntime } from '@/lib/runtime';
import { replayDeadEvents, replayEvents, ReplayError } from '@/lib/webhooks/replay';

export interface ReplayState {
  message?: string;
  error?: string;
}

export async function replayEventAction(_prev: ReplayState, form: FormData): Promise<ReplayState> {
  const admin = await requireRole(['admin'], '/admin/webhooks');
  const id = z.uuid().safeParse(form.get('id'));
  if (!id.success) return { error: 'That is not an event of this app.' };
  const { db, boss } = await getRuntime();
  try {
    await replayEvents(db, boss, [id.data], admin.id);
  } catch (error) {
    if (error instanceof ReplayError) return { error: error.message };
    throw error;
  }
  revalidatePath('/admin/webhooks');
  return { message: 'The event is queued again.' };
}

export async function replayDeadAction(_prev: ReplayState): Promise<ReplayState> {
  const admin = await requireRole(['admin'], '/admin/webhooks');
  const { db, boss } = await getRuntime();
  const n = await replayDeadEvents(db, boss, admin.id);
  revalidatePath('/admin/webhooks');
  return { message: n === 0 ? 'There are no dead events.' : `${n} dead event${n === 1 ? ' is' : 's are'} queued again.` };
}
