import Link from 'next/link';
import { SeatPicker } from '@/components/checkout/seat-picker';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { cachedActiveCatalog } from '@/lib/catalog';
import { checkoutPath } from '@/lib/checkout/path';
import { cn } from '@/lib/cn';
import { formatMoney } from '@/lib/money';
import { bestYearlySaving, pricingCards, pricingChoice, PRICING_CURRENCIES, type PricingCard } from '@/lib/pricing';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Pricing' };

function ChoiceLink({ active, href, children }: { active: boolean; href: string; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? 'true' : undefined}
      className={cn('rounded-md px-3 py-1.5 text-sm font-medium', active ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900')}
    >
      {children}
    </Link>
  );
}

function PriceCard({ card }: { card: PricingCard }) {
  const checkoutHref = checkoutPath(card.priceId, 1);
  const cta = card.kind === 'one_time' ? 'Buy now' : card.trialDays > 0 ? `Start ${card.trialDays}-day trial` : 'Subscribe';
  return (
    <Card data-testid={`plan-${card.slug}`} className="flex flex-col">
      <CardTitle>{card.name}</CardTitle>
      <p className="mt-1 text-sm text-slate-600">{card.description}</p>
      <p className="mt-4">
        <span className="text-3xl font-bold" data-testid="price">
          {formatMoney(card.unitAmount, card.currency)}
        </span>
        <span className="text-sm text-slate-600">
          {card.perSeat ? ' per seat' : ''}
          {card.interval ? ` / ${card.interval}` : ' once'}
        </span>
      </p>
      {card.yearlySavingPercent > 0 ? <p className="mt-1 text-sm font-medium text-emerald-700">Save {card.yearlySavingPercent}% with yearly billing</p> : null}
      {card.trialDays > 0 ? <p className="mt-1 text-sm text-slate-600">{card.trialDays} days free, then billed {card.interval}ly. Cancel any time.</p> : null}
      <ul className="mt-4 flex-1 space-y-1 text-sm text-slate-700">
        {card.features.map((feature) => (
          <li key={feature}>✓ {feature}</li>
        ))}
      </ul>
      <div className="mt-6">
        {card.perSeat ? (
          <SeatPicker priceId={card.priceId} unitAmount={card.unitAmount} currency={card.currency} maxQuantity={card.maxQuantity} interval={card.interval ?? 'month'} cta={cta} />
        ) : (
          <Button asChild className="w-full">
            <Link href={checkoutHref}>{cta}</Link>
          </Button>
        )}
      </div>
    </Card>
  );
}

export default async function PricingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const choice = pricingChoice(await searchParams);
  const catalog = await cachedActiveCatalog((await getRuntime()).db);
  const cards = pricingCards(catalog, choice);
  const bestSaving = bestYearlySaving(catalog, choice.currency);
  const href = (next: Partial<typeof choice>) => {
    const merged = { ...choice, ...next };
    return `/pricing?interval=${merged.interval}&currency=${merged.currency}`;
  };
  const plans = cards.filter((c) => c.kind === 'plan');
  const oneTime = cards.filter((c) => c.kind === 'one_time');
  return (
    <div className="space-y-8">
      <header className="space-y-4">
        <h1 className="text-3xl font-bold">Pricing</h1>
        <div className="flex flex-wrap items-center gap-4">
          <nav aria-label="Billing interval" className="inline-flex rounded-lg bg-slate-100 p-1">
            <ChoiceLink active={choice.interval === 'month'} href={href({ interval: 'month' })}>
              Monthly
            </ChoiceLink>
            <ChoiceLink active={choice.interval === 'year'} href={href({ interval: 'year' })}>
              Yearly{bestSaving > 0 ? ` (save up to ${bestSaving}%)` : ''}
            </ChoiceLink>
          </nav>
          <nav aria-label="Currency" className="inline-flex rounded-lg bg-slate-100 p-1">
            {PRICING_CURRENCIES.map((currency) => (
              <ChoiceLink key={currency} active={choice.currency === currency} href={href({ currency })}>
                {currency}
              </ChoiceLink>
            ))}
          </nav>
        </div>
      </header>
      <div className="grid gap-6 md:grid-cols-3">
        {plans.map((card) => (
          <PriceCard key={card.priceId} card={card} />
        ))}
      </div>
      {oneTime.length > 0 ? (
        <section className="space-y-4">
          <h2 className="text-xl font-semibold">One-time</h2>
          <div className="grid gap-6 md:grid-cols-3">
            {oneTime.map((card) => (
              <PriceCard key={card.priceId} card={card} />
            ))}
          </div>
        </section>
      ) : null}
      <p className="text-sm text-slate-500">Prices exclude tax where tax applies; the checkout shows it for your billing address before you pay.</p>
    </div>
  );
}
