import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedOrder, orderBody, startTestPaypal, type Loose, type TestPaypal } from './testing/harness.test-helper';

let p: TestPaypal;
beforeAll(async () => {
  p = await startTestPaypal();
});
afterAll(async () => {
  await p.close();
});

const rel = (links: Array<{ rel: string; href: string; method?: string }>, name: string) => links.find((l) => l.rel === name);

describe('Orders v2', () => {
  it('creates an order (minimal by default, full with Prefer: return=representation) with an approve link', async () => {
    const minimal = await p.api('POST', '/v2/checkout/orders', { body: orderBody('25.50') });
    expect(minimal.status).toBe(201);
    expect(minimal.body.status).toBe('CREATED');
    expect(minimal.body.id).toMatch(/^[A-Z0-9]{17}$/);
    expect(minimal.body.purchase_units).toBeUndefined();
    expect(rel(minimal.body.links, 'approve')?.href).toBe(`${p.base}/checkoutnow?token=${minimal.body.id}`);
    expect(rel(minimal.body.links, 'capture')?.method).toBe('POST');

    const full = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('25.50', 'USD', {}),
      headers: { prefer: 'return=representation' },
    });
    expect(full.body.intent).toBe('CAPTURE');
    expect(full.body.purchase_units[0].amount).toEqual({ currency_code: 'USD', value: '25.50' });
    expect(full.body.create_time).toMatch(/Z$/);

    const shown = await p.api('GET', `/v2/checkout/orders/${minimal.body.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.purchase_units[0].amount.value).toBe('25.50');
  });

  it('moves CREATED → APPROVED (buyer approval, with CHECKOUT.ORDER.APPROVED) → COMPLETED on capture', async () => {
    const created = await p.api('POST', '/v2/checkout/orders', {
      body: { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'EUR', value: '12.34' }, custom_id: 'inv_1', invoice_id: 'INV-1' }] },
    });
    const approve = await fetch(`${p.base}/_buyer/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'order', id: created.body.id }),
    });
    expect(approve.status).toBe(200);
    expect(((await approve.json()) as { payerID: string }).payerID).toMatch(/^[2-9A-HJ-NP-Z]{13}$/);
    const approved = await p.api('GET', `/v2/checkout/orders/${created.body.id}`);
    expect(approved.body.status).toBe('APPROVED');
    expect(approved.body.payer.email_address).toContain('@');
    const event = await p.receiver.waitFor('CHECKOUT.ORDER.APPROVED', (w) => w.event.resource.id === created.body.id);
    expect(event.event.resource.status).toBe('APPROVED');

    const captured = await p.api('POST', `/v2/checkout/orders/${created.body.id}/capture`, { body: {} });
    expect(captured.status).toBe(201);
    expect(captured.body.status).toBe('COMPLETED');
    const capture = captured.body.purchase_units[0].payments.captures[0];
    expect(capture.status).toBe('COMPLETED');
    expect(capture.amount).toEqual({ currency_code: 'EUR', value: '12.34' });
    expect(capture.custom_id).toBe('inv_1');
    expect(capture.seller_receivable_breakdown.gross_amount.value).toBe('12.34');
    const fee = Number(capture.seller_receivable_breakdown.paypal_fee.value.replace('.', ''));
    expect(Number(capture.seller_receivable_breakdown.net_amount.value.replace('.', ''))).toBe(1234 - fee);
    const completed = await p.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', (w) => w.event.resource.id === capture.id);
    expect(completed.event.resource.supplementary_data.related_ids.order_id).toBe(created.body.id);

    const shown = await p.api('GET', `/v2/checkout/orders/${created.body.id}`);
    expect(shown.body.status).toBe('COMPLETED');
    expect(shown.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self']);
  });

  it('refuses to capture an order that is not approved, or twice (422, no state change)', async () => {
    const created = await p.api('POST', '/v2/checkout/orders', { body: orderBody() });
    const early = await p.api('POST', `/v2/checkout/orders/${created.body.id}/capture`, { body: {} });
    expect(early.status).toBe(422);
    expect(early.body.name).toBe('UNPROCESSABLE_ENTITY');
    expect(early.body.details[0].issue).toBe('ORDER_NOT_APPROVED');
    expect((await p.api('GET', `/v2/checkout/orders/${created.body.id}`)).body.status).toBe('CREATED');

    const { orderId } = await capturedOrder(p);
    const capturesBefore = Object.keys(p.stateFile().captures).length;
    const again = await p.api('POST', `/v2/checkout/orders/${orderId}/capture`, { body: {} });
    expect(again.status).toBe(422);
    expect(again.body.details[0].issue).toBe('ORDER_ALREADY_CAPTURED');
    expect(Object.keys(p.stateFile().captures).length).toBe(capturesBefore);
  });

  it('answers 404 RESOURCE_NOT_FOUND for an unknown order', async () => {
    const res = await p.api('GET', '/v2/checkout/orders/0000000000000000X');
    expect(res.status).toBe(404);
    expect(res.body.name).toBe('RESOURCE_NOT_FOUND');
    expect(res.body.details[0].issue).toBe('INVALID_RESOURCE_ID');
  });

  it('rejects invalid bodies with 400 INVALID_REQUEST naming the field, and creates nothing', async () => {
    const before = Object.keys(p.stateFile().orders).length;
    const cases: Array<[unknown, string, string]> = [
      [{ purchase_units: [{ amount: { currency_code: 'USD', value: '1.00' } }] }, '/intent', 'MISSING_REQUIRED_PARAMETER'],
      [{ intent: 'CAPTURE' }, '/purchase_units', 'MISSING_REQUIRED_PARAMETER'],
      [{ intent: 'CAPTURE', purchase_units: [] }, '/purchase_units', 'INVALID_ARRAY_MIN_ITEMS'],
      [{ intent: 'CAPTURE', purchase_units: [{}] }, '/purchase_units/0/amount', 'MISSING_REQUIRED_PARAMETER'],
      [{ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD' } }] }, '/purchase_units/0/amount/value', 'MISSING_REQUIRED_PARAMETER'],
      [{ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: 'ten' } }] }, '/purchase_units/0/amount/value', 'INVALID_PARAMETER_SYNTAX'],
      [{ intent: 'SELL', purchase_units: [{ amount: { currency_code: 'USD', value: '1.00' } }] }, '/intent', 'INVALID_PARAMETER_VALUE'],
      [{ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '1.00' }, soft_descriptor: 'x'.repeat(23) }] }, '/purchase_units/0/soft_descriptor', 'INVALID_STRING_LENGTH'],
    ];
    for (const [body, field, issue] of cases) {
      const res = await p.api('POST', '/v2/checkout/orders', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.name).toBe('INVALID_REQUEST');
      expect(res.body.details).toContainEqual(expect.objectContaining({ field, issue }));
    }
    const malformed = await p.api('POST', '/v2/checkout/orders', { body: '{"intent":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details[0].issue).toBe('MALFORMED_REQUEST_JSON');
    expect(Object.keys(p.stateFile().orders).length).toBe(before);
  });

  it('rejects amounts PayPal cannot process with 422', async () => {
    const cases: Array<[string, string, string]> = [
      ['USD', '10.001', 'DECIMAL_PRECISION'],
      ['JPY', '100.5', 'DECIMAL_PRECISION'], // Orders v2 has no DECIMALS_NOT_SUPPORTED; Payments v2 does
      ['XYZ', '1.00', 'INVALID_CURRENCY_CODE'],
      ['USD', '0.00', 'CANNOT_BE_ZERO_OR_NEGATIVE'],
      ['USD', '-1.00', 'CANNOT_BE_ZERO_OR_NEGATIVE'],
    ];
    for (const [currency, value, issue] of cases) {
      const res = await p.api('POST', '/v2/checkout/orders', { body: orderBody(value, currency) });
      expect(res.status, `${value} ${currency}`).toBe(422);
      expect(res.body.details[0].issue).toBe(issue);
    }
    const mismatch = await p.api('POST', '/v2/checkout/orders', {
      body: {
        intent: 'CAPTURE',
        purchase_units: [{ amount: { currency_code: 'USD', value: '10.00', breakdown: { item_total: { currency_code: 'USD', value: '9.00' } } } }],
      },
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.details[0].issue).toBe('AMOUNT_MISMATCH');
    const matching = await p.api('POST', '/v2/checkout/orders', {
      body: {
        intent: 'CAPTURE',
        purchase_units: [
          {
            amount: {
              currency_code: 'USD',
              value: '10.00',
              breakdown: { item_total: { currency_code: 'USD', value: '9.00' }, tax_total: { currency_code: 'USD', value: '1.50' }, discount: { currency_code: 'USD', value: '0.50' } },
            },
          },
        ],
      },
    });
    expect(matching.status).toBe(201);
  });

  it('accepts zero-decimal currencies', async () => {
    const { captureId } = await capturedOrder(p, '1500', 'JPY');
    const capture = await p.api('GET', `/v2/payments/captures/${captureId}`);
    expect(capture.body.amount).toEqual({ currency_code: 'JPY', value: '1500' });
  });

  it('replays the same response for a repeated PayPal-Request-Id (create and capture)', async () => {
    const headers = { 'paypal-request-id': `req-${Math.random()}` };
    const a = await p.api('POST', '/v2/checkout/orders', { body: orderBody('5.00'), headers });
    const b = await p.api('POST', '/v2/checkout/orders', { body: orderBody('5.00'), headers });
    expect(b.body.id).toBe(a.body.id);
    await p.control('approve_order', { order_id: a.body.id });
    const captureHeaders = { 'paypal-request-id': `cap-${Math.random()}` };
    const c1 = await p.api('POST', `/v2/checkout/orders/${a.body.id}/capture`, { body: {}, headers: captureHeaders });
    const c2 = await p.api('POST', `/v2/checkout/orders/${a.body.id}/capture`, { body: {}, headers: captureHeaders });
    expect(c1.status).toBe(201);
    expect(c2.status).toBe(201);
    expect(c2.body.purchase_units[0].payments.captures[0].id).toBe(c1.body.purchase_units[0].payments.captures[0].id);
    const other = await p.api('POST', '/v2/checkout/orders', { body: orderBody('5.00'), headers: { 'paypal-request-id': 'different' } });
    expect(other.body.id).not.toBe(a.body.id);
  });

  it('declines the next capture on request (capture DECLINED + PAYMENT.CAPTURE.DENIED) and then succeeds again', async () => {
    await p.control('decline_next_capture');
    const declinedOrder = await p.api('POST', '/v2/checkout/orders', { body: orderBody('7.00') });
    await p.control('approve_order', { order_id: declinedOrder.body.id });
    const declined = await p.api('POST', `/v2/checkout/orders/${declinedOrder.body.id}/capture`, { body: {} });
    expect(declined.status).toBe(201);
    const capture = declined.body.purchase_units[0].payments.captures[0];
    expect(capture.status).toBe('DECLINED');
    await p.receiver.waitFor('PAYMENT.CAPTURE.DENIED', (w) => w.event.resource.id === capture.id);
    const { captureId } = await capturedOrder(p);
    expect((await p.api('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('COMPLETED');
  });

  it('INSTRUMENT_DECLINED leaves the order APPROVED so the buyer can retry', async () => {
    await p.control('decline_next_capture', { mode: 'INSTRUMENT_DECLINED' });
    const o = await p.api('POST', '/v2/checkout/orders', { body: orderBody('8.00') });
    await p.control('approve_order', { order_id: o.body.id });
    const first = await p.api('POST', `/v2/checkout/orders/${o.body.id}/capture`, { body: {} });
    expect(first.status).toBe(422);
    expect(first.body.details[0].issue).toBe('INSTRUMENT_DECLINED');
    expect((await p.api('GET', `/v2/checkout/orders/${o.body.id}`)).body.status).toBe('APPROVED');
    const second = await p.api('POST', `/v2/checkout/orders/${o.body.id}/capture`, { body: {} });
    expect(second.status).toBe(201);
    expect(second.body.purchase_units[0].payments.captures[0].status).toBe('COMPLETED');
  });

  it('a buyer who chose "capture will be declined" gets a declined capture', async () => {
    const o = await p.api('POST', '/v2/checkout/orders', { body: orderBody('9.00') });
    await fetch(`${p.base}/_buyer/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'order', id: o.body.id, decline: true }),
    });
    const res = await p.api('POST', `/v2/checkout/orders/${o.body.id}/capture`, { body: {} });
    expect(res.body.purchase_units[0].payments.captures[0].status).toBe('DECLINED');
  });

  it('voids orders left uncaptured for three hours of sandbox time', async () => {
    const o = await p.api('POST', '/v2/checkout/orders', { body: orderBody('3.00') });
    await p.control('approve_order', { order_id: o.body.id });
    p.sandbox.clock.advance(3 * 3600 + 1);
    const shown = await p.api('GET', `/v2/checkout/orders/${o.body.id}`);
    expect(shown.body.status).toBe('VOIDED');
    const capture = await p.api('POST', `/v2/checkout/orders/${o.body.id}/capture`, { body: {} });
    expect(capture.status).toBe(422);
  });

  it('creates PAYER_ACTION_REQUIRED orders (rel payer-action) when payment_source.paypal is given', async () => {
    const o = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('4.00', 'USD', {
        payment_source: { paypal: { experience_context: { return_url: 'https://example.com/return', cancel_url: 'https://example.com/cancel' } } },
      }),
    });
    expect(o.body.status).toBe('PAYER_ACTION_REQUIRED');
    expect(rel(o.body.links, 'payer-action')?.href).toContain('/checkoutnow?token=');
    const page = await fetch(rel(o.body.links, 'payer-action')!.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('4.00 USD');
    expect(html).toContain('https://example.com/return');
  });
});

describe('Orders v2 multi-unit and intent checks', () => {
  it('captures every purchase unit, rejects duplicate reference ids, mixed currencies and AUTHORIZE', async () => {
    const two = await p.api('POST', '/v2/checkout/orders', {
      body: {
        intent: 'CAPTURE',
        purchase_units: [
          { reference_id: 'a', amount: { currency_code: 'USD', value: '1.00' } },
          { reference_id: 'b', amount: { currency_code: 'USD', value: '2.00' } },
        ],
      },
    });
    await p.control('approve_order', { order_id: two.body.id });
    const captured = await p.api('POST', `/v2/checkout/orders/${two.body.id}/capture`, { body: {} });
    expect(captured.body.purchase_units.map((u: Loose) => u.payments.captures[0].amount.value)).toEqual(['1.00', '2.00']);

    const dup = await p.api('POST', '/v2/checkout/orders', {
      body: { intent: 'CAPTURE', purchase_units: [{ reference_id: 'a', amount: { currency_code: 'USD', value: '1.00' } }, { reference_id: 'a', amount: { currency_code: 'USD', value: '1.00' } }] },
    });
    expect(dup.body.details[0].issue).toBe('DUPLICATE_REFERENCE_ID');
    const mixed = await p.api('POST', '/v2/checkout/orders', {
      body: { intent: 'CAPTURE', purchase_units: [{ reference_id: 'a', amount: { currency_code: 'USD', value: '1.00' } }, { reference_id: 'b', amount: { currency_code: 'EUR', value: '1.00' } }] },
    });
    expect(mixed.body.details[0].issue).toBe('MULTI_CURRENCY_ORDER');
    const authorize = await p.api('POST', '/v2/checkout/orders', { body: { ...orderBody(), intent: 'AUTHORIZE' } });
    expect(authorize.status).toBe(400);
    expect(authorize.body.details[0]).toMatchObject({ field: '/intent', issue: 'NOT_SUPPORTED' });
  });
});
