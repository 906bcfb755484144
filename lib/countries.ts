/** Countries a customer can bill from, with English names (from the runtime's ICU data, no list to maintain). */
const CODES = [
  'AT', 'AU', 'BE', 'BG', 'BR', 'CA', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'HU', 'IE', 'IN', 'IT', 'JP',
  'LT', 'LU', 'LV', 'MT', 'MX', 'NL', 'NO', 'NZ', 'PL', 'PT', 'RO', 'SE', 'SG', 'SI', 'SK', 'US',
] as const;

const names = new Intl.DisplayNames(['en'], { type: 'region' });

export const BILLING_COUNTRIES: ReadonlyArray<{ code: string; name: string }> = CODES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) =>
  a.name.localeCompare(b.name, 'en'),
);

export function isBillingCountry(code: string): boolean {
  return (CODES as readonly string[]).includes(code);
}
