import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedOrder, startTestPaypal, type TestPaypal } from './testing/harness.test-helper';

let p: TestPaypal;
beforeAll(async () => {
  p = await startTestPaypal();
});
afterAll(async () => {
  await p.close();
});

const refund = (captureId: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  p.api('POST', `/v2/payments/captures/${captureId}/refund`, { body, headers });

describe('Payments v2 captures and refunds', () => {
  it('shows a capture with its links and receivable breakdown', async () => {
    const { orderId, captureId } = await capturedOrder(p, '20.00');
    const res = await p.api('GET', `/v2/payments/captures/${captureId}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('COMPLETED');
    expect(res.body.final_capture).toBe(true);
    expect(res.body.supplementary_data.related_ids.order_id).toBe(orderId);
    expect(res.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'refund', 'up']);
    expect((await p.api('GET', '/v2/payments/captures/NOPE0000000000000')).status).toBe(404);
  });

  it('refunds partially, several times, then the rest; never more than captured', async () => {
    const { captureId } = await capturedOrder(p, '10.00');
    const first = await refund(captureId, { amount: { currency_code: 'USD', value: '2.50' }, note_to_payer: 'sorry' });
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('COMPLETED');
    expect(Object.keys(first.body).sort()).toEqual(['id', 'links', 'status']);
    expect((await p.api('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('PARTIALLY_REFUNDED');

    const second = await refund(captureId, { amount: { currency_code: 'USD', value: '3.00' } }, { prefer: 'return=representation' });
    expect(second.body.amount).toEqual({ currency_code: 'USD', value: '3.00' });
    expect(second.body.seller_payable_breakdown.total_refunded_amount).toEqual({ currency_code: 'USD', value: '5.50' });

    const tooMuch = await refund(captureId, { amount: { currency_code: 'USD', value: '4.51' } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.name).toBe('UNPROCESSABLE_ENTITY');
    expect(tooMuch.body.details[0].issue).toBe('REFUND_AMOUNT_EXCEEDED');
    expect(p.stateFile().captures[captureId].refundedMinor).toBe(550);

    const currency = await refund(captureId, { amount: { currency_code: 'EUR', value: '1.00' } });
    expect(currency.body.details[0].issue).toBe('REFUND_CAPTURE_CURRENCY_MISMATCH');
    const zero = await refund(captureId, { amount: { currency_code: 'USD', value: '0.00' } });
    expect(zero.body.details[0].issue).toBe('CANNOT_BE_ZERO_OR_NEGATIVE');
    const precision = await refund(captureId, { amount: { currency_code: 'USD', value: '0.001' } });
    expect(precision.body.details[0].issue).toBe('DECIMAL_PRECISION');

    const rest = await refund(captureId, {}, { prefer: 'return=representation' });
    expect(rest.body.amount.value).toBe('4.50');
    const capture = await p.api('GET', `/v2/payments/captures/${captureId}`);
    expect(capture.body.status).toBe('REFUNDED');
    expect(capture.body.links.map((l: { rel: string }) => l.rel)).not.toContain('refund');
    const again = await refund(captureId, { amount: { currency_code: 'USD', value: '0.01' } });
    expect(again.status).toBe(422);
    expect(again.body.details[0].issue).toBe('CAPTURE_FULLY_REFUNDED');

    const shown = await p.api('GET', `/v2/payments/refunds/${first.body.id}`);
    expect(shown.body.amount.value).toBe('2.50');
    expect(shown.body.note_to_payer).toBe('sorry');
    expect(shown.body.links.find((l: { rel: string }) => l.rel === 'up').href).toContain(captureId);
    expect((await p.api('GET', '/v2/payments/refunds/NOPE0000000000000')).status).toBe(404);

    const refunded = await p.receiver.waitFor('PAYMENT.CAPTURE.REFUNDED', (w) => w.event.resource.id === rest.body.id);
    expect(refunded.event.resource.amount.value).toBe('4.50');
  });

  it('shows refunds in the order', async () => {
    const { orderId, captureId } = await capturedOrder(p, '6.00');
    await refund(captureId, { amount: { currency_code: 'USD', value: '1.00' } });
    const order = await p.api('GET', `/v2/checkout/orders/${orderId}`);
    expect(order.body.purchase_units[0].payments.refunds).toHaveLength(1);
    expect(order.body.purchase_units[0].payments.captures[0].status).toBe('PARTIALLY_REFUNDED');
  });

  it('refunds zero-decimal amounts and rejects decimals for them', async () => {
    const { captureId } = await capturedOrder(p, '1000', 'JPY');
    const bad = await refund(captureId, { amount: { currency_code: 'JPY', value: '10.5' } });
    expect(bad.body.details[0].issue).toBe('DECIMALS_NOT_SUPPORTED');
    const ok = await refund(captureId, { amount: { currency_code: 'JPY', value: '300' } }, { prefer: 'return=representation' });
    expect(ok.body.amount).toEqual({ currency_code: 'JPY', value: '300' });
    expect(ok.body.seller_payable_breakdown.total_refunded_amount.value).toBe('300');
  });

  it('refuses refunds of a declined capture and replays a repeated PayPal-Request-Id', async () => {
    await p.control('decline_next_capture');
    const { captureId } = await capturedOrder(p, '5.00');
    const declined = await refund(captureId);
    expect(declined.body.details[0].issue).toBe('REFUND_NOT_ALLOWED');

    const ok = await capturedOrder(p, '5.00');
    const headers = { 'paypal-request-id': `refund-${Math.random()}` };
    const a = await refund(ok.captureId, { amount: { currency_code: 'USD', value: '1.00' } }, headers);
    const b = await refund(ok.captureId, { amount: { currency_code: 'USD', value: '1.00' } }, headers);
    expect(b.body.id).toBe(a.body.id);
    expect(p.stateFile().captures[ok.captureId].refundedMinor).toBe(100);
  });

  it('rejects a malformed refund body with 400 and refunds nothing', async () => {
    const { captureId } = await capturedOrder(p, '5.00');
    const res = await refund(captureId, { amount: { currency_code: 'USD' } });
    expect(res.status).toBe(400);
    expect(res.body.details[0]).toMatchObject({ field: '/amount/value', issue: 'MISSING_REQUIRED_PARAMETER' });
    expect(p.stateFile().captures[captureId].refundedMinor).toBe(0);
  });
});
