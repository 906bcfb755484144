import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  creditableAmount,
  creditedAmount,
  creditNotePrefix,
  creditNoteReasonOfRefund,
  creditNoteRefusal,
  parseCreditAmount,
  planStatusAction,
  stripeRefundReason,
} from './correction-rules';

const paid = { number: 'INV-2026-000007', status: 'paid' as const, currency: 'USD', amountPaid: 936 };

describe('invoice status actions', () => {
  it('voids or writes off only an open invoice; the same action again is a no-op', () => {
    expect(planStatusAction('open', 'void')).toEqual({ kind: 'apply', to: 'void' });
    expect(planStatusAction('open', 'mark_uncollectible')).toEqual({ kind: 'apply', to: 'uncollectible' });
    expect(planStatusAction('void', 'void')).toEqual({ kind: 'already' });
    expect(planStatusAction('uncollectible', 'mark_uncollectible')).toEqual({ kind: 'already' });
  });

  it('refuses a paid, draft, void or written-off invoice, saying why', () => {
    expect(planStatusAction('paid', 'void')).toEqual({ kind: 'refused', message: 'only an open invoice can be voided, and this one is paid (issue a credit note or a refund instead).' });
    expect(planStatusAction('draft', 'void')).toMatchObject({ kind: 'refused', message: expect.stringMatching(/still a draft/) });
    expect(planStatusAction('void', 'mark_uncollectible')).toMatchObject({ kind: 'refused', message: expect.stringMatching(/marked uncollectible, and this one is void/) });
    expect(planStatusAction('uncollectible', 'void')).toMatchObject({ kind: 'refused', message: expect.stringMatching(/is marked uncollectible/) });
  });
});

describe('what may be credited', () => {
  it('counts issued credit notes, not void ones', () => {
    expect(creditedAmount([])).toBe(0);
    expect(creditedAmount([{ amount: 300, status: 'issued' }, { amount: 500, status: 'void' }, { amount: 36, status: 'issued' }])).toBe(336);
  });

  it('is what was paid less what was credited, and nothing on an unpaid invoice', () => {
    expect(creditableAmount(paid, 336)).toBe(600);
    expect(creditableAmount(paid, 936)).toBe(0);
    expect(creditableAmount({ status: 'open', amountPaid: 0 }, 0)).toBe(0);
  });

  it('allows up to what is left, exactly', () => {
    expect(creditNoteRefusal(paid, 336, { amount: 600, currency: 'USD' })).toBeNull();
    expect(creditNoteRefusal(paid, 0, { amount: 1, currency: 'usd' })).toBeNull();
  });

  it('refuses more than is left, naming the amounts', () => {
    const refusal = creditNoteRefusal(paid, 336, { amount: 601, currency: 'USD' });
    expect(refusal).toMatchObject({ code: 'exceeds_amount_paid' });
    expect(refusal?.message).toBe('Invoice INV-2026-000007 had $9.36 paid and $3.36 already credited: at most $6.00 can be credited, not $6.01.');
  });

  it('refuses zero, negative and fractional amounts, another currency, and an unpaid invoice', () => {
    expect(creditNoteRefusal(paid, 0, { amount: 0, currency: 'USD' })?.code).toBe('invalid_amount');
    expect(creditNoteRefusal(paid, 0, { amount: -100, currency: 'USD' })?.code).toBe('invalid_amount');
    expect(creditNoteRefusal(paid, 0, { amount: 1.5, currency: 'USD' })?.code).toBe('invalid_amount');
    expect(creditNoteRefusal(paid, 0, { amount: 100, currency: 'EUR' })).toMatchObject({ code: 'currency_mismatch', message: 'Invoice INV-2026-000007 is in USD, not EUR.' });
    expect(creditNoteRefusal({ ...paid, status: 'open', amountPaid: 0 }, 0, { amount: 100, currency: 'USD' })).toMatchObject({ code: 'wrong_status', message: expect.stringMatching(/is open: only a paid invoice/) });
  });

  it('never lets issued credit notes sum past what was paid, whatever the requests', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: -10, max: 400_000 }), { maxLength: 30 }), (amountPaid, requests) => {
        const invoice = { ...paid, amountPaid };
        let credited = 0;
        for (const amount of requests) if (!creditNoteRefusal(invoice, credited, { amount, currency: 'USD' })) credited += amount;
        expect(credited).toBeLessThanOrEqual(amountPaid);
        expect(creditableAmount(invoice, credited)).toBe(amountPaid - credited);
      }),
    );
  });
});

describe('credit note numbers and reasons', () => {
  it('numbers per UTC year', () => {
    expect(creditNotePrefix(new Date('2026-12-31T23:59:59Z'))).toBe('CN-2026');
    expect(creditNotePrefix(new Date('2027-01-01T00:00:00Z'))).toBe('CN-2027');
  });

  it("maps Stripe's refund reasons both ways", () => {
    expect(creditNoteReasonOfRefund('duplicate')).toBe('duplicate');
    expect(creditNoteReasonOfRefund('fraudulent')).toBe('fraudulent');
    expect(creditNoteReasonOfRefund('requested_by_customer')).toBeNull();
    expect(creditNoteReasonOfRefund(null)).toBeNull();
    expect(stripeRefundReason('duplicate')).toBe('duplicate');
    expect(stripeRefundReason('order_change')).toBe('requested_by_customer');
    expect(stripeRefundReason(null)).toBe('requested_by_customer');
  });
});

describe('amounts an admin types', () => {
  it('parses major units exactly into minor units of the currency', () => {
    expect(parseCreditAmount('12.50', 'USD')).toEqual({ ok: true, amount: 1250 });
    expect(parseCreditAmount(' 3 ', 'USD')).toEqual({ ok: true, amount: 300 });
    expect(parseCreditAmount('0.29', 'EUR')).toEqual({ ok: true, amount: 29 });
    expect(parseCreditAmount('1200', 'JPY')).toEqual({ ok: true, amount: 1200 });
    expect(parseCreditAmount('1.005', 'KWD')).toEqual({ ok: true, amount: 1005 });
  });

  it('refuses what is not a positive amount in that currency, saying what to type', () => {
    expect(parseCreditAmount('', 'USD')).toEqual({ ok: false, message: 'Enter an amount in USD, such as 12.50.' });
    expect(parseCreditAmount('-5', 'USD')).toEqual({ ok: false, message: 'Enter an amount in USD, such as 12.50.' });
    expect(parseCreditAmount('1e3', 'USD')).toMatchObject({ ok: false });
    expect(parseCreditAmount('0.00', 'USD')).toEqual({ ok: false, message: 'The amount must be more than zero.' });
    expect(parseCreditAmount('1.001', 'USD')).toEqual({ ok: false, message: 'USD has 2 decimal places: enter an amount such as 12.50.' });
    expect(parseCreditAmount('12.5', 'JPY')).toEqual({ ok: false, message: 'JPY has 0 decimal places: enter an amount such as 1200.' });
    expect(parseCreditAmount('99999999999999999999', 'USD')).toEqual({ ok: false, message: 'That amount is too large.' });
  });
});
