import Link from 'next/link';
import { Button } from '@/components/ui/button';

export default function LandingPage() {
  return (
    <section className="mx-auto max-w-3xl py-16 text-center">
      <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">Billing that you own</h1>
      <p className="mt-6 text-lg text-slate-600">
        Plans, subscriptions, invoices and refunds in your own app and database. Customers pay by card or PayPal; Stripe and PayPal
        move the money.
      </p>
      <div className="mt-10 flex justify-center gap-3">
        <Button asChild size="lg">
          <Link href="/pricing">See pricing</Link>
        </Button>
        <Button asChild size="lg" variant="secondary">
          <Link href="/billing">Manage billing</Link>
        </Button>
      </div>
    </section>
  );
}
