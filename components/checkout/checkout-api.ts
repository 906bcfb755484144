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

/** The checkout's own answers to a completion: declined or canceled, not found, already subscribed. */
const COMPLETION_REFUSALS = new Set([400, 402, 403, 404, 409]);

/**
 * Asks the server to re-read the payment at the provider and fulfil: true when fulfilled, false while
 * it is not yet known. Called once the provider accepted the payment, so anything but a refusal (a
 * server failure, an expired sign-in, a lost connection) is "not yet known", for the return page to
 * settle, never a "try again" that could pay twice. A refusal is thrown with its message.
 */
export async function completeCheckout(checkoutId: string): Promise<boolean> {
  try {
    const { status } = await post<unknown>(`/api/checkout/${checkoutId}/complete`, {});
    return status === 200;
  } catch (error) {
    if (error instanceof CheckoutApiError && COMPLETION_REFUSALS.has(error.status)) throw error;
    return false;
  }
}
