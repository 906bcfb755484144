import Link from 'next/link';
import { AddCard } from '@/components/billing/add-card';
import { ScheduledChange } from '@/components/billing/scheduled-change';
import { UsageAddOns } from '@/components/billing/usage-add-ons';
import { methodLabel } from '@/components/checkout/receipt-details';
import { SubscriptionActions } from '@/components/billing/subscription-actions';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/guards';
import { formatMoney, money } from '@/lib/billing';
import { billingOverview, describeScheduledChange } from '@/lib/billing-overview';
import { paymentClientConfig } from '@/lib/checkout/client-config';
import { getRuntime } from '@/lib/runtime';
import { displayDate } from '@/lib/format';

export const metadata = { title: 'Billing' };

const date = (d: Date) => displayDate(d, 'short');

export default async function BillingPage({ searchParams }: { searchParams: Promise<{ changed?: string; card?: string }> }) {
  const { changed, card } = await searchParams;
  const user = await requireUser('/billing');
  const { db, config } = await getRuntime();
  const overview = await billingOverview(db, user.id, new Date(), config.billing);
  const failing = overview.invoices.filter((i) => i.firstFailedAt && (i.status === 'open' || i.status === 'uncollectible'));
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Billing</h1>
      <p className="text-sm text-slate-600">Signed in as {user.email}.</p>
      {changed ? <Alert tone="success">Your plan change is saved. Any amount due is charged to your saved payment method.</Alert> : null}
      {card ? <Alert tone="success">Your card is saved as your default payment method; anything unpaid is being charged to it.</Alert> : null}
      {failing.map((i) => (
        <Alert key={i.id} data-testid="payment-problem">
          We could not collect {formatMoney(money(i.amountDue - i.amountPaid, i.currency))} for invoice{' '}
          <Link className="underline" href={`/billing/invoices/${i.id}`}>
            {i.number}
          </Link>
          .{' '}
          {i.status === 'open' && i.nextPaymentAttemptAt ? `We will try again on ${date(i.nextPaymentAttemptAt)}. ` : ''}
          Add a card below and we charge it at once.
        </Alert>
      ))}
      <Card>
        <CardTitle>Subscriptions</CardTitle>
        {overview.subscriptions.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">
            You have no subscription yet; plans are on the{' '}
            <Link className="text-brand-600 hover:underline" href="/pricing">
              pricing page
            </Link>
            .
          </p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100" aria-label="Subscriptions">
            {overview.subscriptions.map((s) => (
              <li key={s.id} className="space-y-2 py-2 text-sm" data-testid="subscription">
                <div className="flex justify-between">
                  <span>
                    {s.productName}
                    {s.perSeat ? ` × ${s.quantity} seats` : ''}
                    {s.interval ? `, ${s.interval}ly` : ''}
                  </span>
                  <span className="text-slate-600">
                    {s.status === 'canceled'
                      ? 'canceled'
                      : s.cancelAtPeriodEnd
                        ? `ends ${date(s.currentPeriodEnd)}`
                        : s.status === 'trialing' && s.trialEnd
                          ? `Trial until ${date(s.trialEnd)}`
                          : `${s.status}, renews ${date(s.currentPeriodEnd)}`}
                  </span>
                </div>
                {s.discount ? (
                  <p className="text-sm text-green-700" data-testid="subscription-discount">
                    {s.discount}
                  </p>
                ) : null}
                {s.scheduledChange ? <ScheduledChange subscriptionId={s.id} description={describeScheduledChange(s.scheduledChange)} /> : null}
                {s.features.length > 0 ? (
                  <div className="space-y-1">
                    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-slate-700" aria-label={`Features of ${s.productName}`}>
                      {s.features.map((f) => (
                        <li key={f.feature} data-allowed={f.allowed}>
                          <span aria-hidden="true">{f.allowed ? '✓ ' : '✗ '}</span>
                          <span className={f.allowed ? undefined : 'text-slate-400 line-through'}>{f.feature}</span>
                          {f.allowed && f.subscriptionId !== s.id ? <span className="text-slate-500"> (with {f.productName})</span> : null}
                          <span className="sr-only">{f.allowed ? ', available' : ', not available'}</span>
                        </li>
                      ))}
                    </ul>
                    {s.accessNote ? <Alert tone={s.accessNote.restricted ? 'error' : 'info'}>{s.accessNote.text}</Alert> : null}
                  </div>
                ) : null}
                {s.usage.length > 0 ? (
                  <ul className="space-y-1 text-slate-700" aria-label={`Usage of ${s.productName} this period`}>
                    {s.usage.map((u) => (
                      <li key={u.meterKey} className="flex justify-between" data-testid="usage">
                        <span>
                          {u.name}: {u.quantity.toLocaleString('en-US')} {u.unit}
                          {u.quantity === 1 ? '' : 's'} so far
                        </span>
                        <span className="text-slate-600">{formatMoney(u.amount)} at the period end</span>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {s.addOns.length > 0 ? <UsageAddOns subscriptionId={s.id} addOns={s.addOns} /> : null}
                {s.status === 'canceled' ? null : <SubscriptionActions subscriptionId={s.id} endingAtPeriodEnd={s.cancelAtPeriodEnd} />}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card>
        <CardTitle>Payment methods</CardTitle>
        {overview.paymentMethods.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No payment method is saved.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100" aria-label="Payment methods">
            {overview.paymentMethods.map((m) => (
              <li key={m.id} className="flex justify-between py-2 text-sm">
                <span>
                  {methodLabel(m.summary)}
                  {m.summary.type === 'card' ? <span className="text-slate-500"> · expires {String(m.summary.expMonth).padStart(2, '0')}/{m.summary.expYear}</span> : null}
                </span>
                {m.isDefault ? <span className="text-slate-600">Default</span> : null}
              </li>
            ))}
          </ul>
        )}
        <div className="mt-3">
          <AddCard config={paymentClientConfig(config)} />
        </div>
      </Card>
      {overview.invoices.length > 0 ? (
        <Card>
          <CardTitle>Invoices</CardTitle>
          <ul className="mt-2 divide-y divide-slate-100" aria-label="Invoices">
            {overview.invoices.map((i) => (
              <li key={i.id} className="flex justify-between py-2 text-sm">
                <Link className="text-brand-600 hover:underline" href={`/billing/invoices/${i.id}`}>
                  {i.number}
                </Link>
                <span className="text-slate-600">
                  {formatMoney(money(i.total, i.currency))} · {i.status}
                  {i.finalizedAt ? ` · ${date(i.finalizedAt)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {overview.purchases.length > 0 ? (
        <Card>
          <CardTitle>Receipts</CardTitle>
          <ul className="mt-2 divide-y divide-slate-100">
            {overview.purchases.map((p) => (
              <li key={p.checkoutId} className="flex justify-between py-2 text-sm">
                <Link className="text-brand-600 hover:underline" href={`/billing/receipts/${p.checkoutId}`}>
                  {p.productName}
                </Link>
                <span className="text-slate-600">
                  {formatMoney(money(p.total, p.currency))}
                  {p.completedAt ? ` · ${date(p.completedAt)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
