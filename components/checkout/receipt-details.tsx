import { formatMoney, money } from '@/lib/billing';
import type { CheckoutReceipt } from '@/lib/checkout/receipt';
import { displayDate } from '@/lib/format';


export function methodLabel(method: CheckoutReceipt['paymentMethod']): string {
  if (!method) return '—';
  if (method.type === 'paypal') return `PayPal${method.email ? ` (${method.email})` : ''}`;
  return `${method.brand.charAt(0).toUpperCase()}${method.brand.slice(1)} ending in ${method.last4}`;
}

/** The facts of a completed checkout, as the success page and the receipt show them. */
export function ReceiptDetails({ receipt }: { receipt: CheckoutReceipt }) {
  const m = (amount: number) => formatMoney(money(amount, receipt.currency));
  const rows: Array<[string, string, string]> = [
    ['Purchase', `${receipt.productName}${receipt.perSeat ? ` × ${receipt.quantity} seats` : ''}${receipt.interval ? `, billed ${receipt.interval}ly` : ''}`, 'receipt-item'],
    ['Subtotal', m(receipt.subtotal), 'receipt-subtotal'],
    ...(receipt.discount > 0 ? [['Discount', `−${m(receipt.discount)}`, 'receipt-discount'] as [string, string, string]] : []),
    ['Tax', m(receipt.tax), 'receipt-tax'],
    ['Total', m(receipt.total), 'receipt-total'],
    ['Paid today', m(receipt.amountPaid), 'receipt-paid'],
    ['Payment method', methodLabel(receipt.paymentMethod), 'receipt-method'],
  ];
  if (receipt.completedAt) rows.push(['Date', displayDate(receipt.completedAt), 'receipt-date']);
  if (receipt.paymentReference) rows.push(['Reference', receipt.paymentReference, 'receipt-reference']);
  if (receipt.subscription) {
    rows.push(['Subscription', receipt.subscription.status === 'trialing' ? `Trial until ${displayDate(receipt.subscription.trialEnd ?? receipt.subscription.currentPeriodEnd)}` : `Active until ${displayDate(receipt.subscription.currentPeriodEnd)}, then renews`, 'receipt-subscription']);
  }
  return (
    <dl className="divide-y divide-slate-100">
      {rows.map(([label, value, testId]) => (
        <div key={label} className="flex justify-between gap-4 py-2 text-sm">
          <dt className="text-slate-600">{label}</dt>
          <dd className="text-right font-medium" data-testid={testId}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
