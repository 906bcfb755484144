import { formatUtcDate, formatMoney, type Money } from '@/lib/billing';
import type { CheckoutPreview } from '@/lib/checkout/preview';

function Row({ label, value, strong, testId }: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <div className={strong ? 'flex justify-between font-semibold' : 'flex justify-between text-sm text-slate-700'}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** What the server quoted: the same function computes what is charged. */
export function OrderSummary({ preview }: { preview: CheckoutPreview }) {
  const { quote, product, quantity, price } = preview;
  const m = (value: Money) => formatMoney(value);
  const plan = quote.subscription;
  const what = `${product.name}${product.perSeat ? ` × ${quantity} seat${quantity === 1 ? '' : 's'}` : ''}${price.interval ? `, billed ${price.interval}ly` : ''}`;
  return (
    <section aria-label="Order summary" className="space-y-3">
      <h2 className="text-lg font-semibold">Order summary</h2>
      <p data-testid="summary-item">{what}</p>
      <dl className="space-y-1.5">
        <Row label="Subtotal" value={m(quote.subtotal)} testId="summary-subtotal" />
        {quote.discount ? <Row label={quote.discount.description} value={`−${m(quote.discount.amount)}`} testId="summary-discount" /> : null}
        {quote.taxLines.map((line) => (
          <Row key={line.taxRateId} label={`${line.description}${quote.taxInclusive ? ' (included)' : ''}`} value={m(line.amount)} testId="summary-tax" />
        ))}
        {quote.taxLines.length === 0 ? <Row label="Tax" value={preview.billingReady ? m(quote.tax) : 'Enter your billing details'} testId="summary-tax" /> : null}
        <Row label="Total" value={m(quote.total)} strong testId="summary-total" />
        <Row label="Due today" value={m(quote.dueToday)} strong testId="summary-due-today" />
      </dl>
      {quote.taxNote ? <p className="text-xs text-slate-600">{quote.taxNote}</p> : null}
      {plan ? (
        <p className="text-sm text-slate-600" data-testid="summary-next">
          {plan.trialEnd !== null ? `Free until ${formatUtcDate(plan.trialEnd)}. ` : ''}
          Next charge {m(plan.nextChargeAmount)} on {formatUtcDate(plan.nextChargeAt)}, then every {price.interval}. Cancel any time in Billing.
        </p>
      ) : null}
    </section>
  );
}
