/** The catalog: products and their prices. */
import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';

export const productKind = pgEnum('product_kind', ['plan', 'one_time', 'add_on']);

export const products = pgTable('products', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Stable handle used by code, seeds and URLs, e.g. `pro`. */
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  kind: productKind('kind').notNull(),
  /** Priced per seat: the quantity is the number of seats. */
  perSeat: boolean('per_seat').notNull().default(false),
  /** Highest quantity a customer may buy (seats for per-seat plans). */
  maxQuantity: integer('max_quantity').notNull().default(1),
  trialDays: integer('trial_days').notNull().default(0),
  features: jsonb('features').$type<string[]>().notNull().default([]),
  sortOrder: integer('sort_order').notNull().default(0),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * What metered prices count: usage events name a meter by its key (`api_calls`); a period's events
 * are summed per meter and priced by the subscription's metered price for it.
 */
export const meters = pgTable('meters', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Stable handle the ingestion API takes, e.g. `api_calls`. */
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  /** Singular unit for display: "call", "GB". */
  unit: text('unit').notNull(),
  createdAt: createdAt(),
});

export const priceType = pgEnum('price_type', ['recurring', 'one_time']);
export const billingInterval = pgEnum('billing_interval', ['week', 'month', 'quarter', 'year']);
export const usageType = pgEnum('usage_type', ['licensed', 'metered']);
export const pricingModel = pgEnum('pricing_model', ['flat', 'per_unit', 'package', 'graduated', 'volume']);
export const taxBehavior = pgEnum('tax_behavior', ['exclusive', 'inclusive']);

export interface PriceTier {
  /** Inclusive upper bound of the tier; null for the last tier. */
  upTo: number | null;
  unitAmount: number;
  flatAmount: number;
}

export const prices = pgTable(
  'prices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    /** Stable handle, e.g. `pro_month_usd`. */
    lookupKey: text('lookup_key').notNull().unique(),
    type: priceType('type').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    /** Minor units: per unit (per seat, per package) or the flat amount. */
    unitAmount: bigint('unit_amount', { mode: 'number' }).notNull(),
    interval: billingInterval('interval'),
    intervalCount: integer('interval_count'),
    usageType: usageType('usage_type').notNull().default('licensed'),
    pricingModel: pricingModel('pricing_model').notNull().default('per_unit'),
    /** Units per package for the `package` model (e.g. 1000 API calls). */
    packageSize: integer('package_size'),
    tiers: jsonb('tiers').$type<PriceTier[]>(),
    /** What a metered price counts. */
    meterId: uuid('meter_id').references(() => meters.id, { onDelete: 'restrict' }),
    taxBehavior: taxBehavior('tax_behavior').notNull().default('exclusive'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('prices_product_idx').on(t.productId),
    check('prices_amount_nonnegative', sql`${t.unitAmount} >= 0`),
    check('prices_currency_upper', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      'prices_interval_matches_type',
      sql`(${t.type} = 'recurring' AND ${t.interval} IS NOT NULL AND ${t.intervalCount} >= 1)
        OR (${t.type} = 'one_time' AND ${t.interval} IS NULL AND ${t.intervalCount} IS NULL)`,
    ),
    check('prices_package_size', sql`${t.pricingModel} <> 'package' OR ${t.packageSize} >= 1`),
  ],
);

export type Meter = typeof meters.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Price = typeof prices.$inferSelect;

export const couponDuration = pgEnum('coupon_duration', ['once', 'repeating', 'forever']);

/**
 * A discount customers redeem by its code (the promotion code) at checkout, or an admin applies to a
 * subscription. The rules are lib/billing/coupons.ts; a coupon is never deleted once redeemed, only
 * deactivated, so its invoices keep pointing at it.
 */
export const coupons = pgTable(
  'coupons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored upper case; customers type it in any case. */
    code: text('code').notNull().unique(),
    /** Printed on the discount line. */
    name: text('name').notNull(),
    /** Percent off as a decimal string ("20", "12.5"); null for a fixed amount. */
    percentOff: text('percent_off'),
    /** Minor units off per currency ({"USD": 1000}); null for a percentage. */
    amountsOff: jsonb('amounts_off').$type<Record<string, number>>(),
    duration: couponDuration('duration').notNull(),
    /** Invoices a `repeating` coupon discounts. */
    durationInPeriods: integer('duration_in_periods'),
    redeemBy: timestamp('redeem_by', { withTimezone: true }),
    maxRedemptions: integer('max_redemptions'),
    maxRedemptionsPerCustomer: integer('max_redemptions_per_customer'),
    /** Null: every plan; otherwise only these products. */
    productIds: jsonb('product_ids').$type<string[]>(),
    firstTimeOnly: boolean('first_time_only').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('coupons_one_discount', sql`(${t.percentOff} IS NULL) <> (${t.amountsOff} IS NULL)`),
    check('coupons_repeating_periods', sql`(${t.duration} = 'repeating') = (${t.durationInPeriods} IS NOT NULL)`),
  ],
);

export type Coupon = typeof coupons.$inferSelect;
