/**
 * The IO edge of tax: the rates that apply to a customer's country, read from the `tax_rates` table,
 * with the seller's registrations from the settings. The arithmetic is lib/billing/tax.ts.
 */
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { taxRates, type Customer } from '@/db/schema';
import { computeTax, parseTaxRates, type DiscountLine, type EpochMs, type InvoiceLine, type SellerTaxSettings, type TaxCustomer, type TaxRate, type TaxResult } from '@/lib/billing';

/** What the tax module needs besides the lines: who buys, who sells, at which rates. */
export interface TaxContext {
  customer: TaxCustomer;
  seller: SellerTaxSettings;
  rates: readonly TaxRate[];
}

/** Null when the customer has no country yet: no tax can be computed, and checkout asks for the address first. */
export async function taxContextFor(db: DbOrTx, seller: SellerTaxSettings, customer: Pick<Customer, 'country' | 'region' | 'postalCode' | 'taxId'>): Promise<TaxContext | null> {
  const [context] = await taxContextsFor(db, seller, [customer]);
  return context;
}

/** The contexts of several customers, in their order, from one read of the rates. */
export async function taxContextsFor(db: DbOrTx, seller: SellerTaxSettings, buyers: ReadonlyArray<Pick<Customer, 'country' | 'region' | 'postalCode' | 'taxId'>>): Promise<Array<TaxContext | null>> {
  const countries = [...new Set(buyers.flatMap((b) => (b.country ? [b.country] : [])))];
  if (countries.length === 0) return buyers.map(() => null);
  // The seller's country too: an EU seller below the OSS threshold charges its home VAT.
  const rates = parseTaxRates(await db.select().from(taxRates).where(inArray(taxRates.country, [...countries, seller.country])));
  return buyers.map((customer) =>
    customer.country
      ? {
          customer: { address: { country: customer.country, region: customer.region, postalCode: customer.postalCode }, vatId: customer.taxId },
          seller,
          rates: rates.filter((rate) => rate.country === customer.country || rate.country === seller.country),
        }
      : null,
  );
}

/** The tax on these lines, less their discounts, for this context; none without one (no address yet). Pure. */
export function taxOn(context: TaxContext | null, input: { currency: string; lines: readonly InvoiceLine[]; discounts?: readonly DiscountLine[]; inclusive: boolean; at: EpochMs }): TaxResult {
  if (!context) return { taxes: [], treatment: 'no_tax', note: null, jurisdiction: null };
  return computeTax({ ...input, customer: context.customer, seller: context.seller, rates: context.rates });
}
