/**
 * What a recurring price charges for one period at a given quantity. The fields mirror the catalog's
 * `prices` row (db/schema/catalog.ts): `unitAmount` in minor units, `currency`, `interval`, `intervalCount`,
 * `pricingModel`. Package and tiered (graduated, volume) models price metered usage: usage-pricing.ts.
 */
import { BillingInputError } from './errors';
import { assertQuantity, money, multiplyByQuantity, normalizeCurrency, type Money } from './money';
import { assertCycle, type BillingCycle, type BillingInterval, type EpochMs } from './periods';

export type PricingModel = 'flat' | 'per_unit' | 'package' | 'graduated' | 'volume';

export interface RecurringPrice {
  readonly id: string;
  /** Product name for line descriptions, e.g. `Pro`. */
  readonly name?: string;
  readonly currency: string;
  /** Minor units per unit (per seat) or the flat amount. */
  readonly unitAmount: number;
  readonly interval: BillingInterval;
  readonly intervalCount: number;
  /** Defaults to `per_unit` as in the catalog. */
  readonly pricingModel?: PricingModel;
}

/** A priced line of a subscription: a price and its quantity (seats for per-seat products). */
export interface SubscriptionItem {
  readonly price: RecurringPrice;
  readonly quantity: number;
}

export function assertRecurringPrice(price: RecurringPrice): void {
  if (!price.id) throw new BillingInputError('price id is required');
  normalizeCurrency(price.currency);
  if (!Number.isSafeInteger(price.unitAmount) || price.unitAmount < 0) {
    throw new BillingInputError(`price ${price.id}: unitAmount must be a non-negative integer in minor units, got ${price.unitAmount}`);
  }
  assertCycle({ anchor: 0, interval: price.interval, intervalCount: price.intervalCount });
}

/** The full-period amount of `quantity` units of `price`: unitAmount × quantity (per_unit) or unitAmount (flat). */
export function periodAmount(item: SubscriptionItem): Money {
  const { price, quantity } = item;
  assertRecurringPrice(price);
  assertQuantity(quantity);
  const unit = money(price.unitAmount, price.currency);
  const model = price.pricingModel ?? 'per_unit';
  if (model === 'per_unit') return multiplyByQuantity(unit, quantity);
  if (model === 'flat') return unit;
  throw new BillingInputError(`price ${price.id}: the ${model} pricing model is computed by usage pricing, not by periodAmount`);
}

/** The billing cycle a price defines from an anchor. */
export function cycleFor(price: RecurringPrice, anchor: EpochMs): BillingCycle {
  const cycle = { anchor, interval: price.interval, intervalCount: price.intervalCount };
  assertCycle(cycle);
  return cycle;
}

/** `3 × Pro` (or `Pro` for one unit); falls back to the price id without a name. */
export function itemLabel(item: SubscriptionItem): string {
  const name = item.price.name ?? item.price.id;
  return item.quantity === 1 ? name : `${item.quantity} × ${name}`;
}
