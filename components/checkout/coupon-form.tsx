import Link from 'next/link';
import { FormField } from '@/components/ui/form-field';
import { Button } from '@/components/ui/button';
import { checkoutPath } from '@/lib/checkout/path';
import type { CheckoutPreview } from '@/lib/checkout/preview';

/**
 * The promotion code field: a plain GET form, so the server quotes the order with the code and the
 * same code goes to the payment start. Works without JavaScript.
 */
export function CouponForm({ preview }: { preview: CheckoutPreview }) {
  const { coupon } = preview;
  const applied = coupon !== null && coupon.error === null;
  const without = checkoutPath(preview.price.id, preview.quantity);
  if (applied) {
    return (
      <p className="flex items-center justify-between text-sm" data-testid="coupon-applied">
        <span>
          Code <strong>{coupon.code}</strong> applied
        </span>
        <Link className="text-brand-600 hover:underline" href={without}>
          Remove
        </Link>
      </p>
    );
  }
  return (
    <form method="get" action="/checkout" className="flex items-end gap-2" aria-label="Promotion code">
      <input type="hidden" name="price" value={preview.price.id} />
      <input type="hidden" name="quantity" value={preview.quantity} />
      <div className="flex-1">
        <FormField label="Promotion code" name="coupon" defaultValue={coupon?.code ?? ''} error={coupon?.error ?? undefined} autoComplete="off" maxLength={40} />
      </div>
      <Button type="submit" variant="secondary" className={coupon?.error ? 'mb-7' : undefined}>
        Apply
      </Button>
    </form>
  );
}
