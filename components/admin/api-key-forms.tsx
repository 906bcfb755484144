'use client';

import { useActionState } from 'react';
import { createApiKeyAction, revokeApiKeyAction, type ApiKeyFormState } from '@/app/admin/api-keys/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';

/** Creates a key and shows it once: only its hash is kept. */
export function CreateApiKeyForm() {
  const [state, action, pending] = useActionState<ApiKeyFormState, FormData>(createApiKeyAction, {});
  return (
    <form action={action} className="space-y-3" aria-label="Create an API key">
      <FormField label="Name (the backend that will use it)" name="name" placeholder="API gateway (eu-west)" required maxLength={100} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create key'}
      </Button>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.created ? (
        <Alert tone="success">
          Key for {state.created.name}, shown only now: copy it into that backend&apos;s secrets.
          <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="new-api-key">
            {state.created.key}
          </code>
        </Alert>
      ) : null}
    </form>
  );
}

export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  const [state, action, pending] = useActionState<ApiKeyFormState, FormData>(revokeApiKeyAction, {});
  return (
    <form action={action} className="inline" aria-label={`Revoke ${name}`}>
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" variant="danger" disabled={pending}>
        Revoke
      </Button>
      {state.error ? <Alert>{state.error}</Alert> : null}
    </form>
  );
}
