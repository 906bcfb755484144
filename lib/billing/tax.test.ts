import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rawRates from '../../db/data/tax-rates.json';
import { BillingInputError, CurrencyMismatchError } from './errors';
import { computeInvoiceTotals, oneTimeLine, type DiscountLine, type InvoiceLine, type ProrationLine } from './invoice-totals';
import { money } from './money';
import { CA_PROVINCES, US_STATES } from './postal-regions';
import {
  applicableTaxRates,
  computeTax,
  EU_MEMBER_STATES,
  parsePercentage,
  parseTaxRates,
  parseTaxRegistrations,
  REVERSE_CHARGE_TAX_RATE_ID,
  taxOnAmount,
  type ComputeTaxInput,
  type TaxRate,
} from './tax';

const RATES = parseTaxRates(rawRates);
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const NOW = day('2025-09-15');
const line = (amount: number, currency = 'EUR'): InvoiceLine => oneTimeLine({ description: 'Plan', unitAmount: money(amount, currency), quantity: 1 });
const proration = (amount: number, currency = 'EUR'): ProrationLine => ({
  kind: 'proration',
  direction: amount < 0 ? 'credit' : 'charge',
  priceId: 'p',
  description: 'proration',
  quantity: 1,
  unitAmount: money(Math.abs(amount), currency),
  amount: money(amount, currency),
  period: { start: day('2025-09-01'), end: day('2025-10-01') },
});
const coupon = (amount: number, currency = 'EUR'): DiscountLine => ({ kind: 'discount', couponId: 'c', description: 'coupon', amount: money(amount, currency) });

/** A German seller registered for the One-Stop-Shop, selling a 100.00 EUR plan, tax on top, today. */
function tax(over: Partial<ComputeTaxInput> = {}) {
  return computeTax({
    currency: 'EUR',
    lines: [line(10000)],
    customer: { address: { country: 'DE' } },
    seller: { country: 'DE', registrations: ['EU'] },
    rates: RATES,
    inclusive: false,
    at: NOW,
    ...over,
  });
}
const amounts = (r: ReturnType<typeof tax>) => r.taxes.map((t) => t.amount.amount);
const pct = (country: string, at: number, region: string | null = null) => applicableTaxRates(RATES, { country, region }, at).map((r) => r.percentage);

describe('db/data/tax-rates.json', () => {
  it('parses, and every id follows COUNTRY[-REGION]-type-YYYY-MM-DD', () => {
    expect(RATES.length).toBeGreaterThan(100);
    const raw = rawRates as Array<{ id: string; country: string; region: string | null; type: string; validFrom: string }>;
    for (const row of raw) expect(row.id).toBe(`${row.country}${row.region ? `-${row.region}` : ''}-${row.type}-${row.validFrom}`);
  });

  it('covers the 27 EU states, GB, AU, every Canadian province and territory, the 50 states and DC, from 2020 to now', () => {
    for (const at of [day('2020-01-01'), NOW]) {
      for (const country of Object.keys(EU_MEMBER_STATES)) expect(applicableTaxRates(RATES, { country, region: null }, at).map((r) => r.type), country).toEqual(['vat']);
      expect(applicableTaxRates(RATES, { country: 'GB', region: null }, at).map((r) => [r.type, r.percentage])).toEqual([['vat', '20']]);
      expect(applicableTaxRates(RATES, { country: 'AU', region: null }, at).map((r) => [r.type, r.percentage])).toEqual([['gst', '10']]);
      for (const region of Object.keys(CA_PROVINCES)) {
        const [rate, ...rest] = applicableTaxRates(RATES, { country: 'CA', region }, at);
        expect(rest, region).toEqual([]);
        expect(rate.type, region).toBe(['ON', 'NB', 'NL', 'NS', 'PE'].includes(region) ? 'hst' : 'gst');
        if (rate.type === 'gst') expect(rate.percentage).toBe('5');
      }
      for (const region of Object.keys(US_STATES)) expect(applicableTaxRates(RATES, { country: 'US', region }, at).map((r) => r.type), region).toEqual(['sales_tax']);
    }
    expect(Object.keys(US_STATES)).toHaveLength(51);
    expect(Object.keys(CA_PROVINCES)).toHaveLength(13);
    expect(Object.keys(EU_MEMBER_STATES)).toHaveLength(27);
  });

  it('represents the states without a sales tax as "0" rows', () => {
    for (const region of ['AK', 'DE', 'MT', 'NH', 'OR']) expect(pct('US', NOW, region), region).toEqual(['0']);
    const zero = RATES.filter((r) => r.percentage === '0').map((r) => r.region);
    expect(zero.sort()).toEqual(['AK', 'DE', 'MT', 'NH', 'OR']);
  });

  it('holds the recent dated changes', () => {
    expect([pct('FI', day('2024-08-31')), pct('FI', day('2024-09-01'))]).toEqual([['24'], ['25.5']]);
    expect([pct('EE', day('2023-12-31')), pct('EE', day('2024-01-01')), pct('EE', day('2025-06-30')), pct('EE', day('2025-07-01'))]).toEqual([['20'], ['22'], ['22'], ['24']]);
    expect([pct('SK', day('2024-12-31')), pct('SK', day('2025-01-01'))]).toEqual([['20'], ['23']]);
    expect([pct('RO', day('2025-07-31')), pct('RO', day('2025-08-01'))]).toEqual([['19'], ['21']]);
    expect([pct('DE', day('2020-06-30')), pct('DE', day('2020-07-01')), pct('DE', day('2021-01-01'))]).toEqual([['19'], ['16'], ['19']]);
    expect([pct('CA', day('2025-03-31'), 'NS'), pct('CA', day('2025-04-01'), 'NS')]).toEqual([['15'], ['14']]);
  });
});

describe('computeTax: jurisdictions', () => {
  it('EU VAT: the destination rate through the One-Stop-Shop', () => {
    const r = tax({ customer: { address: { country: 'FR', postalCode: '75008' } } });
    expect(r.treatment).toBe('taxed');
    expect(r.jurisdiction).toBe('France');
    expect(r.note).toBeNull();
    expect(r.taxes).toEqual([
      {
        kind: 'tax',
        taxRateId: 'FR-vat-2020-01-01',
        description: 'VAT 20% (France)',
        amount: money(2000, 'EUR'),
        inclusive: false,
        type: 'vat',
        jurisdiction: 'France',
        percentage: '20',
        taxableAmount: money(10000, 'EUR'),
      },
    ]);
    const totals = computeInvoiceTotals({ currency: 'EUR', lines: [line(10000)], taxes: r.taxes });
    expect(totals.total).toEqual(money(12000, 'EUR'));
  });

  it('applies a rate from 00:00 UTC of its date: Germany 19 → 16 → 19 (2020), Finland 24 → 25.5 (2024-09-01)', () => {
    const de = (at: number) => amounts(tax({ at }));
    expect(de(day('2020-06-30'))).toEqual([1900]);
    expect(de(day('2020-07-01') - 1)).toEqual([1900]);
    expect(de(day('2020-07-01'))).toEqual([1600]);
    expect(de(day('2021-01-01') - 1)).toEqual([1600]);
    expect(de(day('2021-01-01'))).toEqual([1900]);
    const fi = (at: number) => tax({ at, customer: { address: { country: 'FI' } } });
    expect(amounts(fi(day('2024-09-01') - 1))).toEqual([2400]);
    expect(fi(day('2024-09-01')).taxes[0]).toMatchObject({ amount: money(2550, 'EUR'), percentage: '25.5', description: 'VAT 25.5% (Finland)', taxRateId: 'FI-vat-2024-09-01' });
    expect(amounts(tax({ at: day('2025-07-01'), customer: { address: { country: 'EE' } } }))).toEqual([2400]);
  });

  it('no rate on file before the first row: no_tax', () => {
    const r = tax({ at: day('2019-12-31') });
    expect(r).toMatchObject({ treatment: 'no_tax', taxes: [], jurisdiction: 'Germany' });
    expect(r.explanation).toMatch(/No tax rate is on file/);
  });

  it('UK VAT 20%', () => {
    const r = tax({ currency: 'GBP', lines: [line(5000, 'GBP')], seller: { country: 'GB', registrations: ['GB'] }, customer: { address: { country: 'gb', postalCode: 'SW1A 1AA' } } });
    expect(r.taxes).toMatchObject([{ description: 'VAT 20% (United Kingdom)', amount: money(1000, 'GBP'), type: 'vat' }]);
  });

  it('Australian GST 10%', () => {
    const r = tax({ currency: 'AUD', lines: [line(9900, 'AUD')], seller: { country: 'US', registrations: ['US', 'AU'] }, customer: { address: { country: 'AU', postalCode: '2000' } } });
    expect(r.taxes).toMatchObject([{ description: 'GST 10% (Australia)', amount: money(990, 'AUD'), type: 'gst', jurisdiction: 'Australia' }]);
  });

  const canada = (address: { region?: string; postalCode?: string }, at = NOW) =>
    tax({ currency: 'CAD', lines: [line(10000, 'CAD')], at, seller: { country: 'US', registrations: ['CA'] }, customer: { address: { country: 'CA', ...address } } });

  it('Canada GST province from the postal code: Alberta 5%', () => {
    const r = canada({ postalCode: 't2p 1j9' });
    expect(r.region).toBe('AB');
    expect(r.taxes).toMatchObject([{ type: 'gst', jurisdiction: 'Alberta', percentage: '5', amount: money(500, 'CAD'), description: 'GST 5% (Alberta)' }]);
  });

  it('Canada HST provinces: Ontario 13%, Nova Scotia 15% → 14% from 2025-04-01', () => {
    expect(canada({ region: 'ON' }).taxes).toMatchObject([{ type: 'hst', jurisdiction: 'Ontario', amount: money(1300, 'CAD'), description: 'HST 13% (Ontario)' }]);
    expect(canada({ postalCode: 'M5V 3L9' }).taxes[0].amount).toEqual(money(1300, 'CAD'));
    expect(amounts(canada({ postalCode: 'B3H 4R2' }, day('2025-03-31')))).toEqual([1500]);
    expect(amounts(canada({ postalCode: 'B3H 4R2' }, day('2025-04-01')))).toEqual([1400]);
  });

  const us = (address: { region?: string | null; postalCode?: string | null }, registrations: string[] = ['US'], at = NOW) =>
    tax({ currency: 'USD', lines: [line(10000, 'USD')], at, seller: { country: 'US', registrations }, customer: { address: { country: 'US', ...address } } });

  it('US sales tax by destination state, from the ZIP code', () => {
    const r = us({ postalCode: '94105' });
    expect(r).toMatchObject({ treatment: 'taxed', region: 'CA', jurisdiction: 'California' });
    expect(r.taxes).toMatchObject([{ type: 'sales_tax', description: 'Sales tax 7.25% (California)', amount: money(725, 'USD'), taxRateId: 'US-CA-sales_tax-2020-01-01' }]);
    expect(amounts(us({ postalCode: '10001-1234' }))).toEqual([400]);
    expect(amounts(us({ postalCode: '70112' }, ['US'], day('2024-12-31')))).toEqual([445]);
    expect(amounts(us({ postalCode: '70112' }, ['US'], day('2025-01-01')))).toEqual([500]);
  });

  it('US state without a sales tax: no_tax, no lines', () => {
    const r = us({ postalCode: '97201' });
    expect(r).toMatchObject({ treatment: 'no_tax', taxes: [], region: 'OR', jurisdiction: 'Oregon' });
    expect(r.explanation).toMatch(/0%/);
  });

  it('the given region wins over the postal code and may be written US-XX; a bad region is refused', () => {
    expect(us({ region: 'ny', postalCode: '94105' }).jurisdiction).toBe('New York');
    expect(us({ region: 'US-TX' }).jurisdiction).toBe('Texas');
    expect(() => us({ region: 'ZZ' })).toThrow(/"ZZ" is not a US state/);
    expect(() => canada({ region: 'QQ' })).toThrow(/Canadian province/);
  });

  it('US registration per state: only the registered states are taxed', () => {
    expect(us({ postalCode: '10001' }, ['US-NY', 'US-TX']).taxes[0].amount).toEqual(money(400, 'USD'));
    expect(us({ postalCode: '94105' }, ['US-NY', 'US-TX'])).toMatchObject({ treatment: 'not_registered', taxes: [], jurisdiction: null, region: 'CA' });
    // `US` covers the states and DC, not the territories.
    expect(us({ postalCode: '00901' })).toMatchObject({ treatment: 'not_registered', region: 'PR' });
    expect(us({ postalCode: '20001' }).taxes[0].description).toBe('Sales tax 6% (District of Columbia)');
  });

  it('US/Canada without a usable region: needs_region (not registered there at all: not_registered)', () => {
    expect(us({})).toMatchObject({ treatment: 'needs_region', taxes: [], region: null });
    expect(us({}).explanation).toMatch(/no state or ZIP code was given/);
    expect(us({ postalCode: '9410' }).explanation).toMatch(/"9410" is not a US ZIP code/);
    expect(us({ postalCode: '00001' }).treatment).toBe('needs_region');
    expect(canada({ postalCode: 'ZZZ' }).treatment).toBe('needs_region');
    expect(us({}, ['GB'])).toMatchObject({ treatment: 'not_registered' });
    expect(us({ postalCode: '94105' }, [])).toMatchObject({ treatment: 'not_registered' });
  });
});

describe('computeTax: reverse charge', () => {
  const business = (country: string, vatId: string, vatIdVerified?: boolean | null) => ({ address: { country }, vatId, vatIdVerified });

  it('EU business in another member state with a valid VAT number: 0 line and the legal note', () => {
    const r = tax({ customer: business('FR', 'fr 40 303 265 045') });
    expect(r.treatment).toBe('reverse_charge');
    expect(r.jurisdiction).toBe('France');
    expect(r.note).toContain('Article 196 of Council Directive 2006/112/EC');
    expect(r.note).toContain('FR40303265045');
    expect(r.taxes).toEqual([
      {
        kind: 'tax',
        taxRateId: REVERSE_CHARGE_TAX_RATE_ID,
        description: 'VAT reverse charge (France)',
        amount: money(0, 'EUR'),
        inclusive: false,
        type: 'vat',
        jurisdiction: 'France',
        percentage: '0',
        taxableAmount: money(10000, 'EUR'),
      },
    ]);
    expect(computeInvoiceTotals({ currency: 'EUR', lines: [line(10000)], taxes: r.taxes }).total).toEqual(money(10000, 'EUR'));
    expect(tax({ customer: business('FR', 'FR40303265045', true) }).treatment).toBe('reverse_charge');
    expect(tax({ customer: business('FR', 'FR40303265045', null) }).treatment).toBe('reverse_charge');
  });

  it('a VAT number of the wrong format, or refused by VIES, is a consumer: taxed at the destination', () => {
    const badFormat = tax({ customer: business('FR', 'FR123') });
    expect(badFormat).toMatchObject({ treatment: 'taxed', note: null, jurisdiction: 'France' });
    expect(amounts(badFormat)).toEqual([2000]);
    expect(badFormat.explanation).toMatch(/VAT number was not used/);
    const refused = tax({ customer: business('FR', 'FR40303265045', false) });
    expect(refused.treatment).toBe('taxed');
    expect(refused.explanation).toMatch(/live check/);
    // Another country's number does not make an Austrian customer a business.
    expect(tax({ customer: business('AT', 'DE123456789') }).treatment).toBe('taxed');
  });

  it('same member state B2B is a domestic sale, taxed normally', () => {
    const r = tax({ customer: business('DE', 'DE123456789') });
    expect(r.treatment).toBe('taxed');
    expect(amounts(r)).toEqual([1900]);
  });

  it('a seller outside the EU selling to an EU business: reverse charge even without an EU registration', () => {
    const seller = { country: 'US', registrations: ['US'] };
    expect(tax({ seller, customer: business('NL', 'NL123456789B01') })).toMatchObject({ treatment: 'reverse_charge', jurisdiction: 'Netherlands' });
    // ... but an EU consumer is simply not the seller's obligation.
    expect(tax({ seller, customer: { address: { country: 'NL' } } })).toMatchObject({ treatment: 'not_registered', taxes: [] });
  });

  it('Greece: the VAT prefix is EL, the country GR', () => {
    const r = tax({ customer: business('GR', 'EL 123 456 789') });
    expect(r.treatment).toBe('reverse_charge');
    expect(r.note).toContain('EL123456789');
    expect(r.jurisdiction).toBe('Greece');
    expect(() => tax({ customer: { address: { country: 'EL' } } })).toThrow(/Greece's ISO code is GR/);
  });

  it('UK business buying from a seller outside the UK: reverse charge with the UK note', () => {
    const r = tax({ currency: 'GBP', lines: [line(5000, 'GBP')], seller: { country: 'DE', registrations: ['EU', 'GB'] }, customer: business('GB', 'GB123456789') });
    expect(r).toMatchObject({ treatment: 'reverse_charge', jurisdiction: 'United Kingdom' });
    expect(r.note).toMatch(/HMRC/);
    const domestic = tax({ currency: 'GBP', lines: [line(5000, 'GBP')], seller: { country: 'GB', registrations: ['GB'] }, customer: business('GB', 'GB123456789') });
    expect(amounts(domestic)).toEqual([1000]);
  });

  it('with tax-inclusive prices the customer pays the price; the reverse-charge line says so', () => {
    const r = tax({ inclusive: true, customer: business('IT', 'IT12345678901') });
    expect(r.taxes).toMatchObject([{ amount: money(0, 'EUR'), inclusive: true, taxableAmount: money(10000, 'EUR') }]);
  });
});

describe('computeTax: registrations', () => {
  it('not registered at the destination: no tax lines', () => {
    const r = tax({ currency: 'AUD', lines: [line(1000, 'AUD')], seller: { country: 'GB', registrations: ['GB'] }, customer: { address: { country: 'AU' } } });
    expect(r).toMatchObject({ treatment: 'not_registered', taxes: [], note: null, jurisdiction: null });
    expect(tax({ seller: { country: 'GB', registrations: ['GB'] }, customer: { address: { country: 'JP' } } }).treatment).toBe('not_registered');
  });

  it('an EU seller is registered at home; without the One-Stop-Shop it charges its home VAT to EU consumers elsewhere', () => {
    const home = { country: 'DE', registrations: [] };
    expect(amounts(tax({ seller: home }))).toEqual([1900]);
    const r = tax({ seller: home, customer: { address: { country: 'FR' } } });
    expect(r).toMatchObject({ treatment: 'taxed', jurisdiction: 'Germany' });
    expect(amounts(r)).toEqual([1900]);
    expect(r.explanation).toMatch(/Article 59c/);
    // Registered directly in France: French VAT.
    expect(amounts(tax({ seller: { country: 'DE', registrations: ['FR'] }, customer: { address: { country: 'FR' } } }))).toEqual([2000]);
    // Outside the EU nothing is implied.
    expect(tax({ seller: home, customer: { address: { country: 'CH' } } }).treatment).toBe('not_registered');
  });

  it('parseTaxRegistrations reads the comma-separated setting', () => {
    expect(parseTaxRegistrations(' EU, gb , us-ny,US-TX,, GB ')).toEqual(['EU', 'GB', 'US-NY', 'US-TX']);
    expect(parseTaxRegistrations('')).toEqual([]);
    expect(parseTaxRegistrations('US,CA,AU')).toEqual(['US', 'CA', 'AU']);
    expect(() => parseTaxRegistrations('EU,UK')).toThrow(/ISO code is GB/);
    expect(() => parseTaxRegistrations('US-ZZ')).toThrow(/ZZ is not a US state/);
    expect(() => parseTaxRegistrations('CA-ON')).toThrow(/federal, use "CA"/);
    expect(() => parseTaxRegistrations('XI')).toThrow(/use "GB"/);
    expect(() => parseTaxRegistrations('EU-DE')).toThrow(/"EU-DE" is not a code/);
    expect(() => parseTaxRegistrations('DE GB')).toThrow(/"DE GB" is not a code/);
    expect(() => tax({ seller: { country: 'DE', registrations: ['Germany'] } })).toThrow(BillingInputError);
    expect(() => tax({ seller: { country: 'UK', registrations: [] } })).toThrow(/seller country/);
  });
});

describe('computeTax: amounts and rounding', () => {
  it('inclusive: 10.00 including 19% holds 1.60 of tax; net + tax = price; totals add nothing', () => {
    const r = tax({ inclusive: true, lines: [line(1000)] });
    expect(r.taxes).toMatchObject([{ amount: money(160, 'EUR'), inclusive: true, taxableAmount: money(840, 'EUR'), description: 'VAT 19% included (Germany)' }]);
    const t = r.taxes[0];
    expect(t.taxableAmount.amount + t.amount.amount).toBe(1000);
    const totals = computeInvoiceTotals({ currency: 'EUR', lines: [line(1000)], taxes: r.taxes });
    expect(totals).toMatchObject({ total: money(1000, 'EUR'), taxTotal: money(160, 'EUR'), exclusiveTaxTotal: money(0, 'EUR') });
  });

  it('inclusive ties round half up: 20% inside 0.03 / 0.09 / 0.15 is exactly 0.005 / 0.015 / 0.025', () => {
    const gb = (amount: number) => tax({ currency: 'GBP', inclusive: true, lines: [line(amount, 'GBP')], seller: { country: 'GB', registrations: ['GB'] }, customer: { address: { country: 'GB' } } }).taxes[0];
    expect(gb(3).amount.amount).toBe(1); // 0.5 → 1
    expect(gb(9).amount.amount).toBe(2); // 1.5 → 2
    expect(gb(15).amount.amount).toBe(3); // 2.5 → 3 (half-even would say 2)
    expect(gb(15).taxableAmount.amount).toBe(12);
    expect(gb(14).amount.amount).toBe(2); // 2.33 → 2
  });

  it('exclusive ties round half up: 19% of 0.50 = 0.095, of 1.50 = 0.285; 7.25% of 2.00 = 0.145', () => {
    expect(amounts(tax({ lines: [line(50)] }))).toEqual([10]);
    expect(amounts(tax({ lines: [line(150)] }))).toEqual([29]);
    expect(amounts(tax({ lines: [line(149)] }))).toEqual([28]); // 28.31
    const ca = tax({ currency: 'USD', lines: [line(200, 'USD')], seller: { country: 'US', registrations: ['US'] }, customer: { address: { country: 'US', postalCode: '90001' } } });
    expect(amounts(ca)).toEqual([15]);
  });

  it('rounds once per rate on the invoice, not per line', () => {
    // Per line: 3 × round(9.5) = 30; on the invoice: round(28.5) = 29.
    expect(amounts(tax({ lines: [line(50), line(50), line(50)] }))).toEqual([29]);
  });

  it('discounts and proration credits reduce the base', () => {
    const r = tax({ lines: [line(10000)], discounts: [coupon(2500)] });
    expect(r.taxes).toMatchObject([{ amount: money(1425, 'EUR'), taxableAmount: money(7500, 'EUR') }]);
    const totals = computeInvoiceTotals({ currency: 'EUR', lines: [line(10000)], discounts: [coupon(2500)], taxes: r.taxes });
    expect(totals.total).toEqual(money(8925, 'EUR'));
    expect(amounts(tax({ lines: [proration(3000), proration(-1000)] }))).toEqual([380]);
  });

  it('a base of zero or less has no tax lines (the treatment still says what applies)', () => {
    expect(tax({ lines: [proration(1000), proration(-3000)] })).toMatchObject({ treatment: 'taxed', taxes: [], jurisdiction: 'Germany' });
    expect(tax({ lines: [line(1000)], discounts: [coupon(1000)] }).taxes).toEqual([]);
    expect(tax({ lines: [] }).taxes).toEqual([]);
    expect(tax({ lines: [proration(-500)], customer: { address: { country: 'FR' }, vatId: 'FR40303265045' } })).toMatchObject({ treatment: 'reverse_charge', taxes: [] });
  });

  it('JPY has no minor unit: 19% of ¥999 = ¥189.81 → ¥190; ¥1,000 including 10% holds ¥91', () => {
    expect(amounts(tax({ currency: 'JPY', lines: [line(999, 'JPY')] }))).toEqual([190]);
    const au = tax({ currency: 'JPY', inclusive: true, lines: [line(1000, 'JPY')], seller: { country: 'AU', registrations: ['AU'] }, customer: { address: { country: 'AU' } } });
    expect(au.taxes).toMatchObject([{ amount: money(91, 'JPY'), taxableAmount: money(909, 'JPY') }]);
  });

  it('three-decimal currencies round to the fils: 19% of 1.005 KWD = 0.19095 → 0.191; of 0.050 = 0.0095 → 0.010', () => {
    expect(amounts(tax({ currency: 'KWD', lines: [line(1005, 'KWD')] }))).toEqual([191]);
    expect(amounts(tax({ currency: 'KWD', lines: [line(50, 'KWD')] }))).toEqual([10]);
  });

  it('refuses inconsistent input', () => {
    expect(() => tax({ currency: 'USD' })).toThrow(CurrencyMismatchError);
    expect(() => tax({ discounts: [coupon(1, 'USD')] })).toThrow(CurrencyMismatchError);
    expect(() => tax({ discounts: [coupon(-1)] })).toThrow(/must not be negative/);
    expect(() => tax({ at: 1.5 })).toThrow(/epoch-milliseconds/);
    expect(() => tax({ customer: { address: { country: 'Germany' } } })).toThrow(/not an ISO 3166-1 alpha-2/);
    expect(() => tax({ customer: { address: { country: 'UK' } } })).toThrow(/ISO code is GB/);
    expect(() => tax({ lines: [{ ...line(100), amount: { amount: 1.5, currency: 'EUR' } }] })).toThrow(BillingInputError);
  });

  it('several taxes at one place each get their line; inclusive splits the price so net + taxes = price', () => {
    const rates: TaxRate[] = parseTaxRates([
      { id: 'CA-BC-gst', country: 'CA', region: 'BC', type: 'gst', jurisdiction: 'British Columbia', percentage: '5', validFrom: '2020-01-01' },
      { id: 'CA-BC-pst', country: 'CA', region: 'BC', type: 'sales_tax', jurisdiction: 'British Columbia', percentage: '7', validFrom: '2020-01-01' },
    ]);
    const input = { currency: 'CAD', rates, seller: { country: 'CA', registrations: ['CA'] }, customer: { address: { country: 'CA', postalCode: 'V6B 4Y8' } } };
    expect(amounts(tax({ ...input, lines: [line(10000, 'CAD')] }))).toEqual([500, 700]);
    const incl = tax({ ...input, inclusive: true, lines: [line(11200, 'CAD')] });
    expect(amounts(incl)).toEqual([500, 700]);
    expect(incl.taxes.map((t) => t.taxableAmount.amount)).toEqual([10000, 10000]);
  });

  it('a later row of the same type replaces a rate; a "0" row ends it (British Columbia, HST 2010–2013)', () => {
    const rates = parseTaxRates([
      { id: 'a', country: 'CA', region: 'BC', type: 'gst', jurisdiction: 'British Columbia', percentage: '5', validFrom: '2008-01-01' },
      { id: 'b', country: 'CA', region: 'BC', type: 'gst', jurisdiction: 'British Columbia', percentage: '0', validFrom: '2010-07-01' },
      { id: 'c', country: 'CA', region: 'BC', type: 'hst', jurisdiction: 'British Columbia', percentage: '12', validFrom: '2010-07-01' },
      { id: 'd', country: 'CA', region: 'BC', type: 'hst', jurisdiction: 'British Columbia', percentage: '0', validFrom: '2013-04-01' },
      { id: 'e', country: 'CA', region: 'BC', type: 'gst', jurisdiction: 'British Columbia', percentage: '5', validFrom: '2013-04-01' },
    ]);
    const bc = (at: number) => tax({ currency: 'CAD', rates, at, lines: [line(10000, 'CAD')], seller: { country: 'CA', registrations: ['CA'] }, customer: { address: { country: 'CA', region: 'BC' } } });
    expect(bc(day('2012-01-01')).taxes.map((t) => [t.type, t.amount.amount])).toEqual([['hst', 1200]]);
    expect(bc(day('2014-01-01')).taxes.map((t) => [t.type, t.amount.amount])).toEqual([['gst', 500]]);
    expect(bc(day('2014-01-01')).rates.map((r) => r.id)).toEqual(['e', 'd']);
  });

  it('accepts rows straight from the database: "19.0000" is shown as 19', () => {
    const rates: TaxRate[] = [{ id: 'DE-x', country: 'DE', region: null, type: 'vat', jurisdiction: 'Germany', percentage: '19.0000', validFrom: day('2020-01-01') }];
    expect(tax({ rates }).taxes).toMatchObject([{ percentage: '19', description: 'VAT 19% (Germany)', amount: money(1900, 'EUR') }]);
  });
});

describe('parseTaxRates', () => {
  const good = { id: 'DE-vat-2021-01-01', country: 'DE', region: null, type: 'vat', jurisdiction: 'Germany', percentage: '19', validFrom: '2021-01-01' };
  const bad = (over: Record<string, unknown>) => () => parseTaxRates([good, { ...good, id: 'x', validFrom: '2022-01-01', ...over }]);

  it('types a good row', () => {
    expect(parseTaxRates([good])).toEqual([{ ...good, validFrom: day('2021-01-01') }]);
    const fromDb = parseTaxRates([{ ...good, percentage: '007.2500', validFrom: new Date(day('2021-01-01')) }]);
    expect(fromDb[0]).toMatchObject({ percentage: '7.25', validFrom: day('2021-01-01') });
    expect(parseTaxRates([{ ...good, country: 'US', region: 'CA', type: 'sales_tax', percentage: '100' }])[0].percentage).toBe('100');
    expect(parseTaxRates([{ ...good, percentage: '0.0001' }])[0].percentage).toBe('0.0001');
  });

  it('rejects bad rows, naming the row and the field', () => {
    expect(() => parseTaxRates({})).toThrow(/must be an array/);
    expect(() => parseTaxRates([null])).toThrow(/tax rate row 0: must be an object/);
    expect(bad({ country: 'de' })).toThrow(/tax rate row 1 \("x"\): country must be an upper-case ISO/);
    expect(bad({ country: 'DEU' })).toThrow(/country/);
    expect(bad({ country: 'UK' })).toThrow(/ISO code is GB/);
    expect(bad({ country: 'US', region: null })).toThrow(/region is required for US rows/);
    expect(bad({ country: 'US', region: 'ZZ' })).toThrow(/row 1 \("x"\): region "ZZ" is not a US state/);
    expect(bad({ country: 'CA', region: 'on' })).toThrow(/region must be written "ON"/);
    expect(bad({ country: 'CA', region: 'CA' })).toThrow(/not a Canadian province/);
    expect(bad({ region: 'BY' })).toThrow(/region must be null for DE/);
    expect(bad({ type: 'pst' })).toThrow(/type must be one of vat, gst, hst, sales_tax/);
    expect(bad({ jurisdiction: ' ' })).toThrow(/jurisdiction/);
    for (const percentage of ['-1', 'abc', '100.0001', '101', '7.12345', '', '1e2', ' ']) expect(bad({ percentage }), percentage).toThrow(/row 1 \("x"\): percentage/);
    expect(bad({ percentage: 19 })).toThrow(/percentage must be a decimal string/);
    for (const validFrom of ['2021-02-29', '2021/01/01', '2021-13-01', '1969-12-31', undefined, null]) expect(bad({ validFrom }), String(validFrom)).toThrow(/validFrom/);
    expect(bad({ id: '' })).toThrow(/id must be/);
    expect(bad({ id: good.id })).toThrow(/duplicate id/);
    expect(bad({ validFrom: good.validFrom })).toThrow(/another row already sets vat for DE from the same date/);
  });

  it('a lookup over unchecked rows refuses two rows for the same place, type and date', () => {
    const [row] = parseTaxRates([good]);
    expect(() => applicableTaxRates([row, { ...row, id: 'y' }], { country: 'DE', region: null }, NOW)).toThrow(/both set vat/);
  });
});

describe('taxOnAmount (properties)', () => {
  const percentage = fc.integer({ min: 0, max: 1_000_000 }).map((n) => `${Math.floor(n / 10_000)}.${String(n % 10_000).padStart(4, '0')}`);
  const base = fc.integer({ min: -1_000_000_000, max: 1_000_000_000_000 });
  const eur = (amount: number) => money(amount, 'EUR');

  it('reads percentages exactly', () => {
    expect(parsePercentage('7.25')).toBe(72_500n);
    expect(parsePercentage('100')).toBe(1_000_000n);
    expect(taxOnAmount(eur(1000), '19', true)).toEqual(eur(160));
    expect(taxOnAmount(eur(-1000), '19', false)).toEqual(eur(0));
  });

  it('exclusive tax is monotonic in the base and never negative', () => {
    fc.assert(
      fc.property(base, base, percentage, (a, b, p) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const tLo = taxOnAmount(eur(lo), p, false).amount;
        expect(tLo).toBeGreaterThanOrEqual(0);
        expect(tLo).toBeLessThanOrEqual(taxOnAmount(eur(hi), p, false).amount);
      }),
    );
  });

  it('inclusive tax never exceeds the base, and taxing the net on top gives it back within one minor unit', () => {
    fc.assert(
      fc.property(base, percentage, (b, p) => {
        const t = taxOnAmount(eur(b), p, true).amount;
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(Math.max(0, b));
        if (b > 0) expect(Math.abs(taxOnAmount(eur(b - t), p, false).amount - t)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('computeTax agrees with taxOnAmount on the summed base, whatever the lines', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100_000, max: 100_000 }), { maxLength: 6 }), fc.boolean(), (values, inclusive) => {
        const lines = values.map((v) => (v < 0 ? proration(v) : line(v)));
        const r = tax({ lines, inclusive });
        const sumOfLines = values.reduce((acc, v) => acc + v, 0);
        expect(amounts(r)).toEqual(sumOfLines > 0 ? [taxOnAmount(eur(sumOfLines), '19', inclusive).amount] : []);
      }),
    );
  });
});
