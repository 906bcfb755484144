import { describe, expect, it } from 'vitest';
import { validateComponent, validateResponse } from './testing/schema.test-helper';

describe('the schema checks used by these tests can fail', () => {
  it('rejects bodies that break PayPal schemas', () => {
    expect(validateComponent('payments_payment_v2', 'capture-2', { id: 'X', status: 'BOGUS' })).not.toEqual([]);
    expect(validateComponent('payments_payment_v2', 'capture-2', { id: 'X', status: 'COMPLETED', amount: { currency_code: 'USD', value: 10 } })).not.toEqual([]);
    expect(validateComponent('customer_disputes_v1', 'dispute', { dispute_id: 'PP-D-1', status: 'SOMETHING' })).not.toEqual([]);
    expect(validateComponent('notifications_webhooks_v1', 'event', { id: 1 })).not.toEqual([]);
    expect(validateResponse('POST', '/v2/checkout/orders', 201, { id: 'X', status: 'NOPE' })).not.toEqual([]);
    expect(validateResponse('POST', '/v2/checkout/orders/ABC/capture', 422, { name: 'UNPROCESSABLE_ENTITY', message: 'x', details: [{ issue: 'MADE_UP' }] })).not.toEqual([]);
    expect(validateResponse('GET', '/v2/checkout/orders/ABC', 418, {})).not.toEqual([]);
  });

  it('accepts valid bodies', () => {
    expect(validateComponent('payments_payment_v2', 'capture-2', { id: 'X', status: 'COMPLETED', amount: { currency_code: 'USD', value: '10.00' } })).toEqual([]);
    expect(validateResponse('POST', '/v1/notifications/verify-webhook-signature', 200, { verification_status: 'SUCCESS' })).toEqual([]);
  });
});
