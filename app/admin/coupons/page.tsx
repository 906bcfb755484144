import { asc, eq } from 'drizzle-orm';
import { CreateCouponForm } from '@/components/admin/coupon-forms';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { products, type Coupon } from '@/db/schema';
import { amountOffText } from '@/lib/billing';
import { couponDiscountOf, listCoupons } from '@/lib/coupons';
import { billedCurrencies } from '@/lib/customers/admin-queries';
import { displayDate } from '@/lib/format';
import { getRuntime } from '@/lib/runtime';
import { setCouponActiveAction } from './actions';

export const metadata = { title: 'Coupons' };

function terms(coupon: Coupon): string {
  const off = amountOffText(couponDiscountOf(coupon));
  const duration = coupon.duration === 'once' ? 'once' : coupon.duration === 'forever' ? 'forever' : `for ${coupon.durationInPeriods} invoices`;
  return `${off} off, ${duration}`;
}

function limits(coupon: Coupon, planName: (id: string) => string): string {
  const parts = [
    coupon.maxRedemptions !== null ? `${coupon.maxRedemptions} in all` : null,
    coupon.maxRedemptionsPerCustomer !== null ? `${coupon.maxRedemptionsPerCustomer} per customer` : null,
    // Redeemable until the instant before redeemBy: show the last day it can be used.
    coupon.redeemBy ? `until ${displayDate(new Date(coupon.redeemBy.getTime() - 1), 'short')}` : null,
    coupon.productIds ? `only ${coupon.productIds.map(planName).join(', ')}` : null,
    coupon.firstTimeOnly ? 'first-time customers' : null,
  ];
  return parts.filter(Boolean).join(' · ') || 'none';
}

/** Discounts customers redeem with a code at checkout, or an admin applies from a customer's page. */
export default async function CouponsPage() {
  const { db } = await getRuntime();
  const [rows, plans, currencies] = await Promise.all([
    listCoupons(db),
    db.select({ id: products.id, name: products.name }).from(products).where(eq(products.kind, 'plan')).orderBy(asc(products.sortOrder), asc(products.name)),
    billedCurrencies(db),
  ]);
  const planName = (id: string) => plans.find((p) => p.id === id)?.name ?? 'a removed plan';
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Coupons</h1>
      <Card>
        <CardTitle>New coupon</CardTitle>
        <div className="mt-3">
          <CreateCouponForm currencies={currencies} plans={plans} />
        </div>
      </Card>
      <DataTable columns={['Code', 'Discount', 'Limits', { label: 'Redeemed', align: 'right' }, 'Status', '']} empty={rows.length === 0 ? 'No coupons yet.' : null}>
        {rows.map(({ coupon, redemptions }) => (
          <tr key={coupon.id} className="border-b border-slate-100 align-top" data-testid="coupon">
            <td className="py-2">
              <code className="font-semibold">{coupon.code}</code>
              <div className="text-xs text-slate-500">{coupon.name}</div>
            </td>
            <td>{terms(coupon)}</td>
            <td className="text-xs text-slate-600">{limits(coupon, planName)}</td>
            <td className="text-right">{redemptions}</td>
            <td>{coupon.active ? 'active' : 'inactive'}</td>
            <td className="text-right">
              <form action={setCouponActiveAction}>
                <input type="hidden" name="id" value={coupon.id} />
                <input type="hidden" name="active" value={String(!coupon.active)} />
                <Button type="submit" size="sm" variant="secondary">
                  {coupon.active ? 'Deactivate' : 'Activate'}
                </Button>
              </form>
            </td>
          </tr>
        ))}
      </DataTable>
      <p className="text-xs text-slate-500">A deactivated coupon can no longer be redeemed; subscriptions it already discounts keep their discount for its duration.</p>
    </div>
  );
}
