/**
 * Money is an integer amount in the currency's minor unit. This module knows each currency's
 * exponent (ISO 4217) and formats amounts for display without floating-point arithmetic on money.
 */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export function currencyExponent(currency: string): 0 | 2 | 3 {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** The amount as a decimal string in major units, e.g. 1999 USD -> "19.99", 500 JPY -> "500". */
export function toMajorUnitString(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer in minor units, got ${amount}`);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const negative = amount < 0;
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const major = `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${major}` : major;
}

/** Formats for display in the given locale, e.g. 1999 USD -> "$19.99". */
export function formatMoney(amount: number, currency: string, locale = 'en-US'): string {
  const exponent = currencyExponent(currency);
  // Intl accepts a decimal string, so no float ever carries the amount.
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent }).format(
    toMajorUnitString(amount, currency) as unknown as number,
  );
}

/** Parses a decimal string in major units (as PayPal sends amounts) into minor units, exactly. */
export function fromMajorUnitString(value: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match || (match[3]?.length ?? 0) > exponent) throw new RangeError(`"${value}" is not an amount in ${currency.toUpperCase()}`);
  const [, sign, whole, fraction = ''] = match;
  const minor = Number(whole + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor)) throw new RangeError(`"${value}" is too large`);
  return sign ? -minor : minor;
}
