import { count } from 'drizzle-orm';
import { Card, CardTitle } from '@/components/ui/card';
import { customers, outboxEmails, users } from '@/db/schema';
import { requireRole } from '@/lib/auth/guards';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Admin' };

export default async function AdminPage() {
  await requireRole(['admin'], '/admin');
  const { db, config } = await getRuntime();
  const [[userCount], [customerCount], [emailCount]] = await Promise.all([
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(customers),
    db.select({ n: count() }).from(outboxEmails),
  ]);
  const stats = [
    { label: 'Users', value: userCount.n },
    { label: 'Customers', value: customerCount.n },
    { label: 'Emails', value: emailCount.n },
    { label: 'Payments mode', value: config.mode },
  ];
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Admin</h1>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {stats.map((s) => (
          <Card key={s.label}>
            <CardTitle className="text-sm font-medium text-slate-500">{s.label}</CardTitle>
            <p className="mt-2 text-2xl font-semibold">{s.value}</p>
          </Card>
        ))}
      </div>
    </div>
  );
}
