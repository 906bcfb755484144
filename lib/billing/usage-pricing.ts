/**
 * What a metered price charges for a period's usage, by pricing model (the catalog's `pricing_model`,
 * `unit_amount`, `package_size` and `tiers`):
 *   per_unit    quantity × unit amount
 *   package     whole packages, rounded up (1,001 calls in packages of 1,000 are 2 packages)
 *   graduated   each tier prices the units that fall in it, plus its flat amount once a unit does
 *   volume      the tier the whole quantity falls in prices every unit, plus that tier's flat amount
 * Pure; amounts are integer minor units. Zero usage costs nothing in every model.
 */
import { BillingInputError } from './errors';
import { money, normalizeCurrency, type Money } from './money';

export interface UsageTier {
  /** Inclusive upper bound in units; null for the last, open-ended tier. */
  readonly upTo: number | null;
  /** Minor units per unit in this tier. */
  readonly unitAmount: number;
  /** Minor units charged once for the tier. */
  readonly flatAmount: number;
}

export type UsagePrice =
  | { readonly model: 'per_unit'; readonly currency: string; readonly unitAmount: number }
  | { readonly model: 'package'; readonly currency: string; readonly unitAmount: number; readonly packageSize: number }
  | { readonly model: 'graduated' | 'volume'; readonly currency: string; readonly tiers: readonly UsageTier[] };

const isAmount = (n: number) => Number.isSafeInteger(n) && n >= 0;

function checked(amount: number, what: string): number {
  if (!Number.isSafeInteger(amount)) throw new BillingInputError(`${what} overflows a safe integer`);
  return amount;
}

/** Tiers in ascending order, each bound above the last, the last open-ended. */
export function assertTiers(tiers: readonly UsageTier[]): void {
  if (tiers.length === 0) throw new BillingInputError('a tiered price needs at least one tier');
  let previous = 0;
  tiers.forEach((tier, i) => {
    const last = i === tiers.length - 1;
    if (!isAmount(tier.unitAmount) || !isAmount(tier.flatAmount)) throw new BillingInputError(`tier ${i + 1}: amounts must be non-negative integers in minor units`);
    if (last) {
      if (tier.upTo !== null) throw new BillingInputError(`tier ${i + 1}: the last tier must be open-ended (upTo null), got ${tier.upTo}`);
    } else if (tier.upTo === null || !Number.isSafeInteger(tier.upTo) || tier.upTo <= previous) {
      throw new BillingInputError(`tier ${i + 1}: upTo must be a whole number above ${previous}, got ${tier.upTo}`);
    } else {
      previous = tier.upTo;
    }
  });
}

export function usageAmount(price: UsagePrice, quantity: number): Money {
  const currency = normalizeCurrency(price.currency);
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new BillingInputError(`usage quantity must be a non-negative integer, got ${quantity}`);
  if (quantity === 0) return money(0, currency);
  switch (price.model) {
    case 'per_unit':
      if (!isAmount(price.unitAmount)) throw new BillingInputError(`unitAmount must be a non-negative integer, got ${price.unitAmount}`);
      return money(checked(price.unitAmount * quantity, 'the usage amount'), currency);
    case 'package': {
      if (!isAmount(price.unitAmount)) throw new BillingInputError(`unitAmount must be a non-negative integer, got ${price.unitAmount}`);
      if (!Number.isSafeInteger(price.packageSize) || price.packageSize < 1) throw new BillingInputError(`packageSize must be a positive integer, got ${price.packageSize}`);
      return money(checked(Math.ceil(quantity / price.packageSize) * price.unitAmount, 'the usage amount'), currency);
    }
    case 'graduated': {
      assertTiers(price.tiers);
      let total = 0;
      let floor = 0;
      for (const tier of price.tiers) {
        const ceiling = tier.upTo ?? quantity;
        const units = Math.min(quantity, ceiling) - floor;
        if (units <= 0) break;
        total = checked(total + units * tier.unitAmount + tier.flatAmount, 'the usage amount');
        floor = ceiling;
      }
      return money(total, currency);
    }
    case 'volume': {
      assertTiers(price.tiers);
      const tier = price.tiers.find((t) => t.upTo === null || quantity <= t.upTo)!;
      return money(checked(quantity * tier.unitAmount + tier.flatAmount, 'the usage amount'), currency);
    }
  }
}
