import { CreateApiKeyForm, RevokeApiKeyButton } from '@/components/admin/api-key-forms';
import { Card, CardTitle } from '@/components/ui/card';
import { displayDate } from '@/lib/format';
import { getRuntime } from '@/lib/runtime';
import { listApiKeys } from '@/lib/usage/api-keys';

export const metadata = { title: 'API keys' };

/** Keys the SaaS's backends send metered usage with (POST /api/usage/events). */
export default async function ApiKeysPage() {
  const { db, config } = await getRuntime();
  const keys = await listApiKeys(db);
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">API keys</h1>
      <p className="text-sm text-slate-600">
        Backends report metered usage to <code>{config.appUrl}/api/usage/events</code> with <code>Authorization: Bearer usk_…</code>. Give each backend its own key, so one can be revoked alone.
      </p>
      <Card>
        <CardTitle>New key</CardTitle>
        <div className="mt-3">
          <CreateApiKeyForm />
        </div>
      </Card>
      <Card>
        <CardTitle>Keys</CardTitle>
        {keys.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No keys yet.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 text-sm" aria-label="API keys">
            {keys.map((k) => (
              <li key={k.id} className="flex items-center justify-between gap-2 py-2">
                <span>
                  {k.name} <code className="text-slate-500">{k.prefix}…</code>
                  <span className="text-slate-500">
                    {' '}
                    · created {displayDate(k.createdAt, 'short')}
                    {k.lastUsedAt ? ` · last used ${displayDate(k.lastUsedAt, 'short')}` : ' · never used'}
                  </span>
                </span>
                {k.revokedAt ? <span className="text-slate-500">revoked {displayDate(k.revokedAt, 'short')}</span> : <RevokeApiKeyButton id={k.id} name={k.name} />}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
