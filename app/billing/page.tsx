import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/guards';

export const metadata = { title: 'Billing' };

export default async function BillingPage() {
  const user = await requireUser('/billing');
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Billing</h1>
      <Card>
        <CardTitle>Your subscription</CardTitle>
        <p className="mt-2 text-sm text-slate-600">
          Signed in as {user.email}. You have no subscription yet; plans are on the pricing page.
        </p>
      </Card>
    </div>
  );
}
