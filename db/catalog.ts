/** The demo catalog, as data: three plans (Team per seat), a one-time product and metered add-ons with their meters. */
import type { PriceTier } from './schema';

export interface SeedPrice {
  lookupKey: string;
  type: 'recurring' | 'one_time';
  currency: 'USD' | 'EUR';
  unitAmount: number;
  interval?: 'month' | 'year';
  usageType?: 'licensed' | 'metered';
  pricingModel?: 'flat' | 'per_unit' | 'package' | 'graduated' | 'volume';
  packageSize?: number;
  tiers?: PriceTier[];
  /** A metered price's meter key (DEMO_METERS). */
  meter?: string;
}

export const DEMO_METERS = [
  { key: 'api_calls', name: 'API calls', unit: 'call' },
  { key: 'storage_gb', name: 'Storage', unit: 'GB-day' },
];

export interface SeedProduct {
  slug: string;
  name: string;
  description: string;
  kind: 'plan' | 'one_time' | 'add_on';
  perSeat?: boolean;
  maxQuantity?: number;
  trialDays?: number;
  features: string[];
  prices: SeedPrice[];
}

function planPrices(slug: string, monthly: { USD: number; EUR: number }, yearly: { USD: number; EUR: number }): SeedPrice[] {
  return (['USD', 'EUR'] as const).flatMap((currency) => [
    { lookupKey: `${slug}_month_${currency.toLowerCase()}`, type: 'recurring', currency, unitAmount: monthly[currency], interval: 'month' } as const,
    { lookupKey: `${slug}_year_${currency.toLowerCase()}`, type: 'recurring', currency, unitAmount: yearly[currency], interval: 'year' } as const,
  ]);
}

export const DEMO_CATALOG: SeedProduct[] = [
  {
    slug: 'starter',
    name: 'Starter',
    description: 'For individuals getting started.',
    kind: 'plan',
    features: ['1 project', 'Email support', 'Basic analytics'],
    prices: planPrices('starter', { USD: 900, EUR: 900 }, { USD: 9000, EUR: 9000 }),
  },
  {
    slug: 'pro',
    name: 'Pro',
    description: 'For professionals who need more.',
    kind: 'plan',
    trialDays: 14,
    features: ['Unlimited projects', 'Priority support', 'Advanced analytics'],
    prices: planPrices('pro', { USD: 2900, EUR: 2700 }, { USD: 29000, EUR: 27000 }),
  },
  {
    slug: 'team',
    name: 'Team',
    description: 'For teams, priced per seat.',
    kind: 'plan',
    perSeat: true,
    maxQuantity: 200,
    trialDays: 14,
    features: ['Everything in Pro', 'Roles and permissions', 'SSO', 'Per-seat billing'],
    prices: planPrices('team', { USD: 1200, EUR: 1100 }, { USD: 12000, EUR: 11000 }),
  },
  {
    slug: 'onboarding',
    name: 'Onboarding package',
    description: 'A one-time guided setup with our team.',
    kind: 'one_time',
    features: ['Two workshops', 'Data import', 'Configuration review'],
    prices: [
      { lookupKey: 'onboarding_usd', type: 'one_time', currency: 'USD', unitAmount: 49900 },
      { lookupKey: 'onboarding_eur', type: 'one_time', currency: 'EUR', unitAmount: 45900 },
    ],
  },
  {
    slug: 'api-calls',
    name: 'API calls',
    description: 'Metered add-on: billed monthly in arrears per 1,000 calls.',
    kind: 'add_on',
    maxQuantity: 1,
    features: ['Billed per 1,000 calls used'],
    prices: (['USD', 'EUR'] as const).map((currency) => ({
      lookupKey: `api_calls_month_${currency.toLowerCase()}`,
      type: 'recurring' as const,
      currency,
      unitAmount: 200,
      interval: 'month' as const,
      usageType: 'metered' as const,
      pricingModel: 'package' as const,
      packageSize: 1000,
      meter: 'api_calls',
    })),
  },
  {
    slug: 'storage',
    name: 'Storage',
    description: 'Metered add-on: GB stored per day, cheaper per GB the more you store (graduated tiers).',
    kind: 'add_on',
    maxQuantity: 1,
    features: ['Billed per GB-day stored'],
    prices: (['USD', 'EUR'] as const).map((currency) => ({
      lookupKey: `storage_month_${currency.toLowerCase()}`,
      type: 'recurring' as const,
      currency,
      unitAmount: 0,
      interval: 'month' as const,
      usageType: 'metered' as const,
      pricingModel: 'graduated' as const,
      tiers: [
        { upTo: 1000, unitAmount: 2, flatAmount: 0 },
        { upTo: 10000, unitAmount: 1, flatAmount: 0 },
        { upTo: null, unitAmount: 0, flatAmount: 5000 },
      ],
      meter: 'storage_gb',
    })),
  },
];

export const DEMO_ACCOUNTS = [
  { email: 'admin@example.com', name: 'Ada Admin', role: 'admin' },
  { email: 'support@example.com', name: 'Sam Support', role: 'support' },
  { email: 'customer@example.com', name: 'Casey Customer', role: 'customer' },
] as const;
