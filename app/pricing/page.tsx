import { Card, CardTitle } from '@/components/ui/card';
import { listActiveCatalog } from '@/lib/catalog';
import { formatMoney } from '@/lib/money';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Pricing' };
export const dynamic = 'force-dynamic';

// The catalog as stored; the Checkout issue turns this into the interactive pricing page.
export default async function PricingPage() {
  const { db } = await getRuntime();
  const catalog = await listActiveCatalog(db);
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-3xl font-bold">Pricing</h1>
        <p className="mt-2 text-slate-600">Plans in USD and EUR, billed monthly or yearly.</p>
      </header>
      <div className="grid gap-6 md:grid-cols-3">
        {catalog.map((product) => (
          <Card key={product.id} data-testid={`product-${product.slug}`}>
            <CardTitle>{product.name}</CardTitle>
            <p className="mt-1 text-sm text-slate-600">{product.description}</p>
            <ul className="mt-4 space-y-1 text-sm">
              {product.prices.map((price) => (
                <li key={price.id}>
                  {formatMoney(price.unitAmount, price.currency)}
                  {price.pricingModel === 'package' ? ` per ${price.packageSize?.toLocaleString('en-US')} units` : product.perSeat ? ' per seat' : ''}
                  {price.interval ? ` / ${price.interval}` : ' once'}
                </li>
              ))}
            </ul>
          </Card>
        ))}
      </div>
    </div>
  );
}
