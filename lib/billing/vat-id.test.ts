import { describe, expect, it } from 'vitest';
import { EU_MEMBER_STATES } from './tax';
import { normalizeVatIdInput, validateVatIdFormat, vatIdCountries } from './vat-id';

const ok = (country: string, vatId: string) => {
  const check = validateVatIdFormat(country, vatId);
  if (!check.valid) throw new Error(`${country} ${vatId}: ${check.reason}`);
  return check.normalized;
};
const reason = (country: string, vatId: string) => {
  const check = validateVatIdFormat(country, vatId);
  if (check.valid) throw new Error(`${country} ${vatId} should be invalid, got ${check.normalized}`);
  return check.reason;
};

describe('validateVatIdFormat', () => {
  it('knows a format for every EU member state, GB and XI', () => {
    const countries = vatIdCountries();
    for (const country of [...Object.keys(EU_MEMBER_STATES), 'GB', 'XI']) expect(countries, country).toContain(country);
  });

  it('normalizes: upper case, no spaces, dots or dashes, prefix optional on input and present on output', () => {
    expect(normalizeVatIdInput(' de 123.456-789 ')).toBe('DE123456789');
    expect(ok('DE', '123456789')).toBe('DE123456789');
    expect(ok('de', 'de 123.456.789')).toBe('DE123456789');
    expect(ok('DE', 'DE-123-456-789')).toBe('DE123456789');
  });

  it('accepts the documented formats', () => {
    expect(ok('AT', 'ATU12345678')).toBe('ATU12345678');
    expect(ok('AT', 'u12345678')).toBe('ATU12345678');
    expect(ok('BE', '0123456789')).toBe('BE0123456789');
    expect(ok('BE', 'BE 1234.567.890')).toBe('BE1234567890');
    expect(ok('FR', 'FR 40 303 265 045')).toBe('FR40303265045');
    expect(ok('FR', 'AB123456789')).toBe('FRAB123456789');
    expect(ok('NL', 'NL123456789B01')).toBe('NL123456789B01');
    expect(ok('ES', 'ESX1234567L')).toBe('ESX1234567L');
    expect(ok('ES', '12345678Z')).toBe('ES12345678Z');
    expect(ok('ES', 'A12345678')).toBe('ESA12345678');
    expect(ok('IE', '1234567WA')).toBe('IE1234567WA');
    expect(ok('IE', 'IE1234567T')).toBe('IE1234567T');
    expect(ok('IE', '1A23456B')).toBe('IE1A23456B');
    expect(ok('IT', '12345678901')).toBe('IT12345678901');
    expect(ok('SE', '123456789001')).toBe('SE123456789001');
    expect(ok('CY', '12345678L')).toBe('CY12345678L');
    expect(ok('RO', '1234')).toBe('RO1234');
    expect(ok('LT', '123456789012')).toBe('LT123456789012');
    expect(ok('CZ', '12345678')).toBe('CZ12345678');
    expect(ok('CZ', '1234567890')).toBe('CZ1234567890');
    expect(ok('GB', 'GB 123 4567 89')).toBe('GB123456789');
    expect(ok('GB', '123456789012')).toBe('GB123456789012');
    expect(ok('GB', 'GBGD001')).toBe('GBGD001');
    expect(ok('GB', 'HA599')).toBe('GBHA599');
  });

  it('refuses numbers of the wrong shape, saying what the shape is', () => {
    expect(reason('DE', '12345678')).toMatch(/DE VAT number is DE followed by 9 digits; got "12345678"/);
    expect(reason('DE', 'DE1234567890')).toMatch(/9 digits/);
    expect(reason('AT', 'AT12345678')).toMatch(/U followed by 8 digits/);
    expect(reason('BE', '2123456789')).toMatch(/starting with 0 or 1/);
    expect(reason('NL', 'NL123456789B1')).toMatch(/B and 2 digits/);
    expect(reason('ES', '123456789')).toMatch(/not both digits/);
    expect(reason('SE', '123456789012')).toMatch(/ending in 01/);
    expect(reason('FR', 'FRIO123456789')).toMatch(/not I or O/);
    expect(reason('RO', '0123')).toMatch(/not starting with 0/);
    expect(reason('GB', 'GBGD500')).toMatch(/GD000–GD499/);
    expect(reason('GB', '12345678')).toMatch(/9 or 12 digits/);
    expect(reason('DE', '')).toMatch(/empty/);
    expect(reason('DE', '12345678#9')).toMatch(/characters other than letters and digits/);
  });

  it('Greece: country GR (or EL), prefix EL (GR accepted), normalized to EL', () => {
    expect(ok('GR', 'EL123456789')).toBe('EL123456789');
    expect(ok('GR', 'el 123 456 789')).toBe('EL123456789');
    expect(ok('GR', 'GR123456789')).toBe('EL123456789');
    expect(ok('GR', '123456789')).toBe('EL123456789');
    expect(ok('EL', '123456789')).toBe('EL123456789');
    expect(reason('GR', 'EL12345678')).toMatch(/9 digits/);
  });

  it('Northern Ireland: XI numbers for a GB customer keep their prefix; an XI customer needs XI', () => {
    expect(ok('GB', 'XI123456789')).toBe('XI123456789');
    expect(ok('XI', '123456789')).toBe('XI123456789');
    expect(reason('XI', 'GB123456789')).toMatch(/starts with GB, which is not the prefix for XI/);
  });

  it('a prefix that is not the country is refused', () => {
    expect(reason('DE', 'FR12345678901')).toMatch(/starts with FR, which is not the prefix for DE \(DE\)/);
    expect(reason('AT', 'DEU12345678')).toMatch(/starts with DE/);
    expect(reason('GR', 'DE123456789')).toMatch(/not the prefix for GR \(EL or GR\)/);
    expect(reason('DE', 'EL123456789')).toMatch(/starts with EL/);
    expect(reason('NL', 'BE0123456789')).toMatch(/starts with BE/);
  });

  it('countries without a known format', () => {
    expect(reason('US', '123456789')).toMatch(/no VAT number format is known for country "US"/);
    expect(reason('', '123')).toMatch(/no VAT number format/);
  });
});
