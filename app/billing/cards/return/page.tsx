import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Alert } from '@/components/ui/alert';
import { requireUser } from '@/lib/auth/guards';
import { CardUpdateError, completeCardUpdate } from '@/lib/customers/card-update';
import { getRuntime } from '@/lib/runtime';

export const metadata = { title: 'Saving your card' };

/** Where Stripe sends the customer back when adding a card needed a redirect (a bank's 3-D Secure page). */
export default async function CardReturnPage({ searchParams }: { searchParams: Promise<{ setup_intent?: string }> }) {
  const { setup_intent: setupIntentId } = await searchParams;
  const user = await requireUser('/billing');
  let problem: string;
  try {
    const outcome = await completeCardUpdate(await getRuntime(), user.id, setupIntentId ?? '');
    problem = outcome.status === 'processing' ? 'Your bank is still confirming the card; it appears on your billing page once confirmed.' : '';
  } catch (error) {
    if (!(error instanceof CardUpdateError)) throw error;
    problem = error.message;
  }
  if (!problem) redirect('/billing?card=saved');
  return (
    <div className="space-y-4">
      <h1 className="text-3xl font-bold">Saving your card</h1>
      <Alert tone="info">{problem}</Alert>
      <Link className="text-brand-600 hover:underline" href="/billing">
        Back to billing
      </Link>
    </div>
  );
}
