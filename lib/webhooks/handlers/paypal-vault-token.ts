/**
 * VAULT.PAYMENT-TOKEN.CREATED / DELETED: re-reads the vaulted PayPal account and saves it for the
 * customer, or, when PayPal no longer has it, marks it removed.
 */
import { PaypalApiError } from '@/lib/payments/paypal/client';
import type { PaypalWebhookEvent } from '@/lib/payments/paypal/types';
import { recordRemovedPaymentMethod, recordSavedPaymentMethod } from '@/lib/payments/payment-methods';
import { describeOutcome } from '@/lib/payments/records';
import { defineHandler } from '../handler';

interface PaypalPaymentToken {
  id: string;
  customer?: { id?: string };
  payment_source?: { paypal?: { email_address?: string } };
}

type Loaded = { id: string; token: PaypalPaymentToken | null };

export const paypalVaultTokenHandler = defineHandler({
  async load(event: PaypalWebhookEvent, { gateways }): Promise<Loaded> {
    const id = event.resource.id;
    if (!id) throw new Error(`event ${event.id} names no payment token`);
    try {
      return { id, token: await gateways.paypal.request<PaypalPaymentToken>('GET', `/v3/vault/payment-tokens/${encodeURIComponent(id)}`) };
    } catch (error) {
      if (error instanceof PaypalApiError && error.status === 404) return { id, token: null }; // deleted at PayPal
      throw error;
    }
  },
  async apply(tx, { id, token }: Loaded, { now }) {
    if (!token) return describeOutcome('payment method', await recordRemovedPaymentMethod(tx, 'paypal', id, now), 'removed');
    if (!token.customer?.id) return 'payment token names no customer';
    const outcome = await recordSavedPaymentMethod(tx, {
      provider: 'paypal',
      providerCustomerId: token.customer.id,
      providerPaymentMethodId: token.id,
      summary: { type: 'paypal', email: token.payment_source?.paypal?.email_address ?? null },
    });
    return describeOutcome('customer for the PayPal account', outcome, 'saved');
  },
});
