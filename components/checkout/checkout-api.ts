/** The browser's calls to the checkout API: a price id and a quantity go out, never an amount. */
export interface StartedCheckout {
  checkoutId: string;
  kind: 'payment' | 'setup';
  clientSecret: string | null;
  paypalOrderId: string | null;
  hostedUrl: string | null;
}

export class CheckoutApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly href?: string,
  ) {
    super(message);
  }
}

/** What to tell the customer about a failure: its own message, or a generic one. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong. Try again.';
}

async function post<T>(url: string, body: unknown): Promise<{ status: number; data: T }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({ error: 'The server did not answer. Try again.' }));
  if (!response.ok) throw new CheckoutApiError(data.error ?? 'Something went wrong. Try again.', response.status, data.href);
  return { status: response.status, data: data as T };
}

export async function startCheckout(input: { priceId: string; quantity: number; couponCode: string | null; provider: 'stripe' | 'paypal'; surface?: 'elements' | 'hosted' }): Promise<StartedCheckout> {
  return (await post<StartedCheckout>('/api/checkout', input)).data;
}

/** Asks the server to re-read the payment at the provider and fulfil: true when fulfilled, false while the provider is still working. */
export async function completeCheckout(checkoutId: string): Promise<boolean> {
  const { status } = await post<unknown>(`/api/checkout/${checkoutId}/complete`, {});
  return status === 200;
}
