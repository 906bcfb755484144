'use client';

import { useActionState } from 'react';
import { replayDeadAction, replayEventAction, type ReplayState } from '@/app/admin/webhooks/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

const initial: ReplayState = {};

export function ReplayEventButton({ id }: { id: string }) {
  const [state, action, pending] = useActionState(replayEventAction, initial);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        Replay
      </Button>
      {state.error ? <span className="text-xs text-red-700">{state.error}</span> : null}
      {state.message ? <span className="text-xs text-green-700">{state.message}</span> : null}
    </form>
  );
}

export function ReplayDeadButton({ dead }: { dead: number }) {
  const [state, action, pending] = useActionState(replayDeadAction, initial);
  return (
    <form action={action} className="flex items-center gap-3">
      <Button type="submit" size="sm" disabled={pending || dead === 0}>
        Replay all dead ({dead})
      </Button>
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
    </form>
  );
}
