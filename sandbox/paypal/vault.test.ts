import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestPaypal, type TestPaypal } from './testing/harness.test-helper';

let p: TestPaypal;
beforeAll(async () => {
  p = await startTestPaypal();
});
afterAll(async () => {
  await p.close();
});

async function savedToken(customerId?: string): Promise<{ tokenId: string; customerId: string }> {
  const setup = await p.api('POST', '/v3/vault/setup-tokens', {
    body: {
      ...(customerId ? { customer: { id: customerId } } : {}),
      payment_source: { paypal: { usage_type: 'MERCHANT', experience_context: { return_url: 'https://example.com/r', cancel_url: 'https://example.com/c' } } },
    },
  });
  await p.control('approve_setup_token', { setup_token_id: setup.body.id });
  const token = await p.api('POST', '/v3/vault/payment-tokens', { body: { payment_source: { token: { id: setup.body.id, type: 'SETUP_TOKEN' } } } });
  return { tokenId: token.body.id, customerId: token.body.customer.id };
}

describe('Vault v3', () => {
  it('creates a setup token the buyer approves, then a payment token (VAULT.PAYMENT-TOKEN.CREATED)', async () => {
    const setup = await p.api('POST', '/v3/vault/setup-tokens', {
      body: { customer: { id: 'cust_42' }, payment_source: { paypal: { usage_type: 'MERCHANT' } } },
    });
    expect(setup.status).toBe(201);
    expect(setup.body.status).toBe('PAYER_ACTION_REQUIRED');
    const approve = setup.body.links.find((l: { rel: string }) => l.rel === 'approve');
    expect(approve.href).toBe(`${p.base}/agreements/approve?approval_session_id=${setup.body.id}`);

    const early = await p.api('POST', '/v3/vault/payment-tokens', { body: { payment_source: { token: { id: setup.body.id, type: 'SETUP_TOKEN' } } } });
    expect(early.status).toBe(422);
    expect(early.body.details[0].issue).toBe('SETUP_TOKEN_NOT_APPROVED');

    const approved = await fetch(`${p.base}/_buyer/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'setup_token', id: setup.body.id }),
    });
    expect(approved.status).toBe(200);
    expect((await p.api('GET', `/v3/vault/setup-tokens/${setup.body.id}`)).body.status).toBe('APPROVED');

    const token = await p.api('POST', '/v3/vault/payment-tokens', { body: { payment_source: { token: { id: setup.body.id, type: 'SETUP_TOKEN' } } } });
    expect(token.status).toBe(201);
    expect(token.body.customer.id).toBe('cust_42');
    expect(token.body.payment_source.paypal.email_address).toContain('@');
    const created = await p.receiver.waitFor('VAULT.PAYMENT-TOKEN.CREATED', (w) => w.event.resource.id === token.body.id);
    expect(created.event.resource_type).toBe('payment_token');

    const reused = await p.api('POST', '/v3/vault/payment-tokens', { body: { payment_source: { token: { id: setup.body.id, type: 'SETUP_TOKEN' } } } });
    expect(reused.status).toBe(422);

    const shown = await p.api('GET', `/v3/vault/payment-tokens/${token.body.id}`);
    expect(shown.body.id).toBe(token.body.id);
    const list = await p.api('GET', '/v3/vault/payment-tokens?customer_id=cust_42');
    expect(list.body.payment_tokens.map((t: { id: string }) => t.id)).toEqual([token.body.id]);
    expect(list.body.total_items).toBe(1);
  });

  it('validates vault requests', async () => {
    const missing = await p.api('POST', '/v3/vault/setup-tokens', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({ field: '/payment_source', issue: 'MISSING_REQUIRED_PARAMETER' });
    const badUsage = await p.api('POST', '/v3/vault/setup-tokens', { body: { payment_source: { paypal: { usage_type: 'SOMETIMES' } } } });
    expect(badUsage.body.details[0].field).toBe('/payment_source/paypal/usage_type');
    const unknown = await p.api('POST', '/v3/vault/payment-tokens', { body: { payment_source: { token: { id: 'NOPE', type: 'SETUP_TOKEN' } } } });
    expect(unknown.status).toBe(400);
    expect((await p.api('GET', '/v3/vault/setup-tokens/NOPE')).status).toBe(404);
    expect((await p.api('GET', '/v3/vault/payment-tokens', { schema: false })).status).toBe(400);
  });

  it('charges a saved PayPal account without the buyer (vault_id, single step, COMPLETED at once)', async () => {
    const { tokenId, customerId } = await savedToken();
    const noKey = await p.api('POST', '/v2/checkout/orders', { body: orderBody('15.00', 'USD', { payment_source: { paypal: { vault_id: tokenId } } }) });
    expect(noKey.status).toBe(400);
    expect(noKey.body.details[0]).toMatchObject({ field: 'PayPal-Request-Id', issue: 'MISSING_REQUIRED_PARAMETER' });

    const res = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('15.00', 'USD', { payment_source: { paypal: { vault_id: tokenId } } }),
      headers: { 'paypal-request-id': 'invoice_1:attempt_1', prefer: 'return=representation' },
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('COMPLETED');
    const capture = res.body.purchase_units[0].payments.captures[0];
    expect(capture.status).toBe('COMPLETED');
    expect(capture.amount.value).toBe('15.00');
    await p.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', (w) => w.event.resource.id === capture.id);

    const replay = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('15.00', 'USD', { payment_source: { paypal: { vault_id: tokenId } } }),
      headers: { 'paypal-request-id': 'invoice_1:attempt_1', prefer: 'return=representation' },
    });
    expect(replay.body.id).toBe(res.body.id);

    const viaToken = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('2.00', 'USD', { payment_source: { token: { id: tokenId, type: 'BILLING_AGREEMENT' } } }),
      headers: { 'paypal-request-id': 'invoice_2:attempt_1' },
    });
    expect(viaToken.body.status).toBe('COMPLETED');

    await p.control('decline_next_capture');
    const declined = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('15.00', 'USD', { payment_source: { paypal: { vault_id: tokenId } } }),
      headers: { 'paypal-request-id': 'invoice_3:attempt_1', prefer: 'return=representation' },
    });
    expect(declined.body.purchase_units[0].payments.captures[0].status).toBe('DECLINED');

    await p.control('decline_next_capture', { mode: 'INSTRUMENT_DECLINED' });
    const before = Object.keys(p.stateFile().orders).length;
    const refused = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('15.00', 'USD', { payment_source: { paypal: { vault_id: tokenId } } }),
      headers: { 'paypal-request-id': 'invoice_3:attempt_2' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details[0].issue).toBe('INSTRUMENT_DECLINED');
    expect(Object.keys(p.stateFile().orders).length).toBe(before);

    const del = await p.api('DELETE', `/v3/vault/payment-tokens/${tokenId}`);
    expect(del.status).toBe(204);
    await p.receiver.waitFor('VAULT.PAYMENT-TOKEN.DELETED', (w) => w.event.resource.id === tokenId);
    expect((await p.api('GET', `/v3/vault/payment-tokens/${tokenId}`)).status).toBe(404);
    const list = await p.api('GET', `/v3/vault/payment-tokens?customer_id=${customerId}`);
    expect(list.body.payment_tokens).toEqual([]);
    const after = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('15.00', 'USD', { payment_source: { paypal: { vault_id: tokenId } } }),
      headers: { 'paypal-request-id': 'invoice_4:attempt_1' },
    });
    expect(after.status).toBe(422);
    expect(after.body.details[0].issue).toBe('PAYMENT_SOURCE_CANNOT_BE_USED');
  });

  it('vaults during purchase (payment_source.paypal.attributes.vault) and returns the token on capture', async () => {
    const created = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('30.00', 'USD', {
        payment_source: {
          paypal: {
            attributes: { customer: { id: 'cust_77' }, vault: { store_in_vault: 'ON_SUCCESS', usage_type: 'MERCHANT', customer_type: 'CONSUMER' } },
            experience_context: { return_url: 'https://example.com/r', cancel_url: 'https://example.com/c' },
          },
        },
      }),
    });
    expect(created.body.status).toBe('PAYER_ACTION_REQUIRED');
    await p.control('approve_order', { order_id: created.body.id });
    const captured = await p.api('POST', `/v2/checkout/orders/${created.body.id}/capture`, { body: {} });
    const vault = captured.body.payment_source.paypal.attributes.vault;
    expect(vault.status).toBe('VAULTED');
    expect(vault.customer.id).toBe('cust_77');
    await p.receiver.waitFor('VAULT.PAYMENT-TOKEN.CREATED', (w) => w.event.resource.id === vault.id);
    const charge = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('30.00', 'USD', { payment_source: { paypal: { vault_id: vault.id } } }),
      headers: { 'paypal-request-id': `renewal-${vault.id}` },
    });
    expect(charge.body.status).toBe('COMPLETED');

    const badVault = await p.api('POST', '/v2/checkout/orders', {
      body: orderBody('1.00', 'USD', { payment_source: { paypal: { attributes: { vault: { store_in_vault: 'ALWAYS', usage_type: 'MERCHANT' } } } } }),
    });
    expect(badVault.status).toBe(400);
    expect(badVault.body.details[0].field).toBe('/payment_source/paypal/attributes/vault/store_in_vault');
  });
});
