/** Reading the catalog: active products with their active prices, in display order. */
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { prices, products, type Price, type Product } from '@/db/schema';

export type CatalogProduct = Product & { prices: Price[] };

export async function listActiveCatalog(db: Database): Promise<CatalogProduct[]> {
  const rows = await db
    .select({ product: products, price: prices })
    .from(products)
    .innerJoin(prices, and(eq(prices.productId, products.id), eq(prices.active, true)))
    .where(eq(products.active, true))
    .orderBy(asc(products.sortOrder), asc(prices.currency), asc(prices.interval));
  const byId = new Map<string, CatalogProduct>();
  for (const { product, price } of rows) {
    const entry = byId.get(product.id) ?? { ...product, prices: [] };
    entry.prices.push(price);
    byId.set(product.id, entry);
  }
  return [...byId.values()];
}

const CATALOG_TTL_MS = 60_000;
let cached: { db: Database; at: number; catalog: Promise<CatalogProduct[]> } | null = null;

/**
 * The active catalog, read at most once a minute per process: the pricing page is visited far more
 * often than the catalog changes. In memory, not on disk, so it never outlives its database.
 */
export function cachedActiveCatalog(db: Database): Promise<CatalogProduct[]> {
  const now = Date.now();
  if (!cached || cached.db !== db || now - cached.at >= CATALOG_TTL_MS) {
    const catalog = listActiveCatalog(db);
    cached = { db, at: now, catalog };
    // A failed read is not kept: the next visit tries again.
    catalog.catch(() => {
      if (cached?.catalog === catalog) cached = null;
    });
  }
  return cached.catalog;
}
