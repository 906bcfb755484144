/** Tax rates as dated data: a rate applies from `valid_from` until a later row for the same place and type. */
import { sql } from 'drizzle-orm';
import { char, check, index, numeric, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const taxType = pgEnum('tax_type', ['vat', 'gst', 'hst', 'sales_tax']);

export const taxRates = pgTable(
  'tax_rates',
  {
    /** Stable id from the rates data (db/data/tax-rates.json); invoices keep it on their tax lines. */
    id: text('id').primaryKey(),
    /** ISO 3166-1 alpha-2 (the UK is GB). */
    country: char('country', { length: 2 }).notNull(),
    /** US state or Canadian province; null for a whole country. */
    region: text('region'),
    type: taxType('type').notNull(),
    /** Shown on invoices: "Germany", "California", "Ontario". */
    jurisdiction: text('jurisdiction').notNull(),
    /** Percent, exact: 19.0000, 8.8750. */
    percentage: numeric('percentage', { precision: 7, scale: 4 }).notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('tax_rates_place_idx').on(t.country, t.region, t.type, t.validFrom),
    check('tax_rates_percentage_range', sql`${t.percentage} >= 0 AND ${t.percentage} <= 100`),
  ],
);

export type TaxRateRow = typeof taxRates.$inferSelect;
