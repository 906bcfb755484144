/** After the provider accepted a payment, only a refusal is an error; a server failure is "not yet known". */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckoutApiError, completeCheckout } from './checkout-api';

function answer(status: number, body: unknown) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })));
}

describe('completeCheckout', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is true when fulfilled and false while the provider is still working', async () => {
    answer(200, { status: 'completed' });
    await expect(completeCheckout('c1')).resolves.toBe(true);
    answer(202, { status: 'pending' });
    await expect(completeCheckout('c1')).resolves.toBe(false);
  });

  it('throws a refusal with its message and link', async () => {
    answer(409, { error: 'You already have Starter.', href: '/billing' });
    const refused = completeCheckout('c1');
    await expect(refused).rejects.toBeInstanceOf(CheckoutApiError);
    await expect(refused).rejects.toMatchObject({ message: 'You already have Starter.', status: 409, href: '/billing' });
  });

  it('leaves a server failure, an expired sign-in or a lost connection to the return page instead of asking to pay again', async () => {
    answer(500, { error: 'Internal Server Error' });
    await expect(completeCheckout('c1')).resolves.toBe(false);
    answer(401, { error: 'Sign in first.' });
    await expect(completeCheckout('c1')).resolves.toBe(false);
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(completeCheckout('c1')).resolves.toBe(false);
  });
});
