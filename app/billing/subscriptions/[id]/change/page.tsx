import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConfirmChange } from '@/components/billing/confirm-change';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { requireUser } from '@/lib/auth/guards';
import { formatMoney, formatUtcDate } from '@/lib/billing';
import { getRuntime } from '@/lib/runtime';
import { SubscriptionActionError } from '@/lib/subscriptions/errors';
import { manageDeps, previewSubscriptionChange, subscriptionSummary, type PlanChangePreview } from '@/lib/subscriptions/manage';
import { planOptions } from '@/lib/subscriptions/options';

export const metadata = { title: 'Change plan' };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ChangePlanPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const query = await searchParams;
  const user = await requireUser(`/billing/subscriptions/${encodeURIComponent(id)}/change`);
  const runtime = await getRuntime();
  const deps = manageDeps(runtime);
  let current: Awaited<ReturnType<typeof subscriptionSummary>>;
  try {
    current = await subscriptionSummary(runtime.db, user.id, id);
  } catch (error) {
    if (error instanceof SubscriptionActionError) notFound();
    throw error;
  }
  const options = await planOptions(runtime.db, current.currency);
  const priceId = one(query.price);
  const quantity = Number(one(query.quantity) ?? current.quantity);
  let preview: PlanChangePreview | null = null;
  let error: string | null = null;
  if (priceId) {
    try {
      preview = await previewSubscriptionChange(deps, user.id, id, { priceId, quantity }, new Date());
    } catch (e) {
      if (!(e instanceof SubscriptionActionError)) throw e;
      error = e.message;
    }
  }
  return (
    <Card className="mx-auto max-w-2xl space-y-6">
      <CardTitle>Change plan</CardTitle>
      <p className="text-sm text-slate-600">
        Now: {current.label}
        {current.quantity > 1 ? ` × ${current.quantity} seats` : ''}.
      </p>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Choose a plan">
        <div className="space-y-1.5">
          <Label htmlFor="price">Plan</Label>
          <select id="price" name="price" defaultValue={priceId ?? current.priceId} className="h-10 rounded-md border border-slate-300 bg-white px-3 text-sm">
            {options.map((o) => (
              <option key={o.priceId} value={o.priceId}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="w-24 space-y-1.5">
          <Label htmlFor="quantity">Seats</Label>
          <Input id="quantity" name="quantity" type="number" min={1} defaultValue={quantity} />
        </div>
        <Button type="submit" variant="secondary">
          Preview
        </Button>
      </form>
      {error ? <Alert>{error}</Alert> : null}
      {preview && priceId ? (
        <section aria-label="Preview" className="space-y-3">
          {preview.preview.timing === 'at_period_end' ? (
            <p className="text-sm" data-testid="change-timing">
              This is a downgrade: it takes effect on {formatUtcDate(preview.preview.effectiveAt)}, at the end of the period you have paid for. Nothing is charged now.
            </p>
          ) : (
            <>
              <ul className="divide-y divide-slate-100 text-sm">
                {preview.preview.lines.map((line, i) => (
                  <li key={i} className="flex justify-between py-1.5">
                    <span>{line.description}</span>
                    <span>{formatMoney(line.amount)}</span>
                  </li>
                ))}
                {preview.discounts.map((d) => (
                  <li key={d.couponId} className="flex justify-between py-1.5">
                    <span>{d.description}</span>
                    <span>−{formatMoney(d.amount)}</span>
                  </li>
                ))}
                {preview.taxes.map((t) => (
                  <li key={t.taxRateId} className="flex justify-between py-1.5">
                    <span>{t.description}</span>
                    <span>{formatMoney(t.amount)}</span>
                  </li>
                ))}
              </ul>
              <p className="font-semibold" data-testid="change-due">
                Due now: {formatMoney(preview.totals.amountDue)}
                {preview.totals.creditGenerated.amount > 0 ? ` (${formatMoney(preview.totals.creditGenerated)} goes to your credit balance)` : ''}
              </p>
            </>
          )}
          <ConfirmChange subscriptionId={current.id} priceId={priceId} quantity={quantity} label={preview.preview.timing === 'at_period_end' ? 'Schedule the change' : 'Change and pay now'} />
        </section>
      ) : null}
      <Link className="text-sm text-brand-600 hover:underline" href="/billing">
        Back to billing
      </Link>
    </Card>
  );
}
