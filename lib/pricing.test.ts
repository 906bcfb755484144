import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from './catalog';
import { bestYearlySaving, pricingCards, pricingChoice, yearlySavingPercent } from './pricing';

let seq = 0;
const price = (over: Partial<CatalogProduct['prices'][number]>) =>
  ({ id: `price-${++seq}`, productId: 'p', lookupKey: `k${seq}`, type: 'recurring', currency: 'USD', unitAmount: 1000, interval: 'month', intervalCount: 1, usageType: 'licensed', pricingModel: 'per_unit', packageSize: null, tiers: null, taxBehavior: 'exclusive', active: true, createdAt: new Date(0), updatedAt: new Date(0), ...over }) as CatalogProduct['prices'][number];
const product = (over: Partial<CatalogProduct>, prices: CatalogProduct['prices']): CatalogProduct =>
  ({ id: `prod-${++seq}`, slug: `s${seq}`, name: 'Plan', description: '', kind: 'plan', perSeat: false, maxQuantity: 1, trialDays: 0, features: [], sortOrder: 0, active: true, createdAt: new Date(0), updatedAt: new Date(0), ...over, prices }) as CatalogProduct;

const catalog: CatalogProduct[] = [
  product({ slug: 'pro', trialDays: 14 }, [
    price({ unitAmount: 2900 }),
    price({ unitAmount: 29000, interval: 'year' }),
    price({ currency: 'EUR', unitAmount: 2700 }),
    price({ currency: 'EUR', unitAmount: 27000, interval: 'year' }),
  ]),
  product({ slug: 'team', perSeat: true, maxQuantity: 200 }, [price({ unitAmount: 1200 }), price({ unitAmount: 14400, interval: 'year' })]),
  product({ slug: 'onboarding', kind: 'one_time' }, [price({ type: 'one_time', interval: null, intervalCount: null, unitAmount: 49900 })]),
  product({ slug: 'api', kind: 'add_on' }, [price({ usageType: 'metered', pricingModel: 'package', unitAmount: 50 })]),
];

describe('pricing page model', () => {
  it('reads the choice from the query, falling back to USD monthly', () => {
    expect(pricingChoice({ currency: 'eur', interval: 'year' })).toEqual({ currency: 'EUR', interval: 'year' });
    expect(pricingChoice({ currency: 'GBP', interval: 'fortnight' })).toEqual({ currency: 'USD', interval: 'month' });
    expect(pricingChoice({ currency: ['EUR', 'USD'] })).toEqual({ currency: 'EUR', interval: 'month' });
  });

  it('rounds the yearly saving down and never shows a negative one', () => {
    expect(yearlySavingPercent(2900, 29000)).toBe(16); // 34800 → 29000 saves 16.67%
    expect(yearlySavingPercent(1200, 14400)).toBe(0);
    expect(yearlySavingPercent(1000, 13000)).toBe(0);
    expect(yearlySavingPercent(0, 0)).toBe(0);
  });

  it('shows plans at the chosen interval and currency, the one-time product, and no add-on', () => {
    const cards = pricingCards(catalog, { currency: 'USD', interval: 'year' });
    expect(cards.map((c) => [c.slug, c.unitAmount, c.interval, c.yearlySavingPercent])).toEqual([
      ['pro', 29000, 'year', 16],
      ['team', 14400, 'year', 0],
      ['onboarding', 49900, null, 0],
    ]);
    const eur = pricingCards(catalog, { currency: 'EUR', interval: 'month' });
    // Team and the one-time product have no EUR price here: left out rather than shown in dollars.
    expect(eur.map((c) => [c.slug, c.currency, c.unitAmount])).toEqual([['pro', 'EUR', 2700]]);
    expect(bestYearlySaving(catalog, 'USD')).toBe(16);
  });
});
