/** The checkout page for a price and quantity, with the promotion code entered, if any. */
export function checkoutPath(priceId: string, quantity: number | string, couponCode?: string | null): string {
  const params = new URLSearchParams({ price: priceId, quantity: String(quantity) });
  if (couponCode) params.set('coupon', couponCode);
  return `/checkout?${params}`;
}
