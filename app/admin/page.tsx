import { count } from 'drizzle-orm';
import { Card, CardTitle } from '@/components/ui/card';
import { customers, outboxEmails, users } from '@/db/schema';
import { requireRole } from '@/lib/auth/guards';
import { formatMoney, money } from '@/lib/billing';
import { dunningSummary, type CurrencyFigure } from '@/lib/invoices/dunning';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Admin' };

const RECOVERY_WINDOW_DAYS = 30;

function Figures({ label, figures, testId }: { label: string; figures: CurrencyFigure[]; testId: string }) {
  return (
    <div data-testid={testId}>
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-xl font-semibold">{figures.length === 0 ? '—' : figures.map((f) => formatMoney(money(f.amount, f.currency))).join(' · ')}</p>
      <p className="text-xs text-slate-500">{figures.reduce((n, f) => n + f.invoices, 0)} invoices</p>
    </div>
  );
}

export default async function AdminPage() {
  await requireRole(['admin'], '/admin');
  const { db, config } = await getRuntime();
  const [[userCount], [customerCount], [emailCount], recovery] = await Promise.all([
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(customers),
    db.select({ n: count() }).from(outboxEmails),
    dunningSummary(db, new Date(), RECOVERY_WINDOW_DAYS),
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
      <Card>
        <CardTitle>Failed-payment recovery</CardTitle>
        <div className="mt-3 grid gap-4 sm:grid-cols-3">
          <Figures label={`Recovered (last ${RECOVERY_WINDOW_DAYS} days)`} figures={recovery.recovered} testId="recovered-revenue" />
          <Figures label="Being retried" figures={recovery.retrying} testId="retrying" />
          <Figures label={`Written off (last ${RECOVERY_WINDOW_DAYS} days)`} figures={recovery.writtenOff} testId="written-off" />
        </div>
      </Card>
    </div>
  );
}
