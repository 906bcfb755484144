/**
 * The pricing page's view of the catalog: per product, the price for the visitor's currency and
 * interval, and what a year saves against twelve months. Pure: the catalog is passed in.
 */
import type { CatalogProduct } from './catalog';

export const PRICING_CURRENCIES = ['USD', 'EUR'] as const;
export const PRICING_INTERVALS = ['month', 'year'] as const;
export type PricingCurrency = (typeof PRICING_CURRENCIES)[number];
export type PricingInterval = (typeof PRICING_INTERVALS)[number];

export interface PricingCard {
  productId: string;
  slug: string;
  name: string;
  description: string;
  features: string[];
  kind: 'plan' | 'one_time';
  perSeat: boolean;
  maxQuantity: number;
  trialDays: number;
  priceId: string;
  currency: string;
  unitAmount: number;
  /** Null for the one-time product. */
  interval: PricingInterval | null;
  /** Yearly price only: whole percent saved against paying monthly for twelve months (0 when none). */
  yearlySavingPercent: number;
}

/** The visitor's choice from the query string, falling back to USD monthly on anything unknown. */
export function pricingChoice(params: { currency?: string | string[]; interval?: string | string[] }): { currency: PricingCurrency; interval: PricingInterval } {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const currency = one(params.currency)?.toUpperCase();
  const interval = one(params.interval);
  return {
    currency: (PRICING_CURRENCIES as readonly string[]).includes(currency ?? '') ? (currency as PricingCurrency) : 'USD',
    interval: (PRICING_INTERVALS as readonly string[]).includes(interval ?? '') ? (interval as PricingInterval) : 'month',
  };
}

/** Whole percent, rounded down so the page never promises more than the price gives. */
export function yearlySavingPercent(monthlyAmount: number, yearlyAmount: number): number {
  const twelveMonths = monthlyAmount * 12;
  if (twelveMonths <= 0 || yearlyAmount >= twelveMonths) return 0;
  return Math.floor(((twelveMonths - yearlyAmount) * 100) / twelveMonths);
}

/**
 * Cards for the plans and one-time products sold at checkout in this currency (add-ons and metered
 * prices are not bought alone). A plan without a price for the chosen interval and currency is left out.
 */
export function pricingCards(catalog: readonly CatalogProduct[], choice: { currency: PricingCurrency; interval: PricingInterval }): PricingCard[] {
  const cards: PricingCard[] = [];
  for (const product of catalog) {
    if (product.kind === 'add_on') continue;
    const inCurrency = product.prices.filter((p) => p.currency === choice.currency && p.usageType === 'licensed' && p.active);
    const recurringOf = (interval: PricingInterval) => inCurrency.find((p) => p.type === 'recurring' && p.interval === interval && p.intervalCount === 1);
    const price = product.kind === 'plan' ? recurringOf(choice.interval) : inCurrency.find((p) => p.type === 'one_time');
    if (!price) continue;
    const monthly = recurringOf('month');
    cards.push({
      productId: product.id,
      slug: product.slug,
      name: product.name,
      description: product.description,
      features: product.features,
      kind: product.kind,
      perSeat: product.perSeat,
      maxQuantity: product.maxQuantity,
      trialDays: product.trialDays,
      priceId: price.id,
      currency: price.currency,
      unitAmount: price.unitAmount,
      interval: product.kind === 'plan' ? choice.interval : null,
      yearlySavingPercent: choice.interval === 'year' && product.kind === 'plan' && monthly ? yearlySavingPercent(monthly.unitAmount, price.unitAmount) : 0,
    });
  }
  return cards;
}

/** The largest saving any plan offers on a yearly price in this currency, for the toggle's badge. */
export function bestYearlySaving(catalog: readonly CatalogProduct[], currency: PricingCurrency): number {
  return Math.max(0, ...pricingCards(catalog, { currency, interval: 'year' }).map((c) => c.yearlySavingPercent));
}
