'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { checkoutPath } from '@/lib/checkout/path';
import { formatMoney } from '@/lib/money';

/** Seats for a per-seat plan: the period's price follows the count, and the button carries it to checkout. */
export function SeatPicker(props: { priceId: string; unitAmount: number; currency: string; maxQuantity: number; interval: string; cta: string }) {
  const id = useId();
  const [text, setText] = useState('5');
  const seats = Number(text);
  const valid = Number.isInteger(seats) && seats >= 1 && seats <= props.maxQuantity;
  return (
    <div className="space-y-3">
      <div className="flex items-end gap-3">
        <div className="w-24 space-y-1">
          <Label htmlFor={id}>Seats</Label>
          <Input id={id} type="number" inputMode="numeric" min={1} max={props.maxQuantity} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!valid} />
        </div>
        <p className="pb-2 text-sm text-slate-600" data-testid="seat-total">
          {valid ? `${formatMoney(props.unitAmount * seats, props.currency)} / ${props.interval}` : `1 to ${props.maxQuantity} seats`}
        </p>
      </div>
      {valid ? (
        <Button asChild className="w-full">
          <Link href={checkoutPath(props.priceId, seats)}>{props.cta}</Link>
        </Button>
      ) : (
        <Button className="w-full" disabled>
          {props.cta}
        </Button>
      )}
    </div>
  );
}
