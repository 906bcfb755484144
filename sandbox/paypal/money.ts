/**
 * PayPal money: `{ currency_code, value }` with `value` a decimal string. Internally an integer in the
 * currency's minor unit (never a float). PayPal's currency list with its decimal places.
 */
export interface PaypalMoney {
  currency_code: string;
  value: string;
}

/** Currencies PayPal accepts (REST API currency codes) and their decimal places. */
const EXPONENTS: Record<string, number> = {
  AUD: 2, BRL: 2, CAD: 2, CNY: 2, CZK: 2, DKK: 2, EUR: 2, HKD: 2, HUF: 0, ILS: 2, JPY: 0, MYR: 2, MXN: 2,
  TWD: 0, NZD: 2, NOK: 2, PHP: 2, PLN: 2, GBP: 2, RUB: 2, SGD: 2, SEK: 2, CHF: 2, THB: 2, USD: 2,
};

export function isSupportedCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(EXPONENTS, code);
}

export function exponentOf(code: string): number {
  const e = EXPONENTS[code];
  if (e === undefined) throw new RangeError(`unsupported currency ${code}`);
  return e;
}

export type ParseMoneyResult =
  | { ok: true; minor: number }
  | { ok: false; issue: 'INVALID_PARAMETER_SYNTAX' | 'INVALID_CURRENCY_CODE' | 'DECIMAL_PRECISION' | 'DECIMALS_NOT_SUPPORTED' };

const VALUE_PATTERN = /^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/;

/** Parses PayPal's decimal string into minor units, exactly (string arithmetic, no floats). */
export function parseMoney(money: PaypalMoney): ParseMoneyResult {
  if (!isSupportedCurrency(money.currency_code)) return { ok: false, issue: 'INVALID_CURRENCY_CODE' };
  const value = money.value;
  if (typeof value !== 'string' || value.length > 32 || !VALUE_PATTERN.test(value)) {
    return { ok: false, issue: 'INVALID_PARAMETER_SYNTAX' };
  }
  const exp = exponentOf(money.currency_code);
  const negative = value.startsWith('-');
  const unsigned = negative ? value.slice(1) : value;
  const [whole, frac = ''] = unsigned.split('.');
  if (frac.length > 0 && exp === 0 && /[1-9]/.test(frac)) return { ok: false, issue: 'DECIMALS_NOT_SUPPORTED' };
  if (frac.length > exp && /[1-9]/.test(frac.slice(exp))) return { ok: false, issue: 'DECIMAL_PRECISION' };
  const fracPadded = (frac + '0'.repeat(exp)).slice(0, exp);
  const digits = `${whole || '0'}${fracPadded}`.replace(/^0+(?=\d)/, '');
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor)) return { ok: false, issue: 'INVALID_PARAMETER_SYNTAX' };
  return { ok: true, minor: negative && minor !== 0 ? -minor : minor };
}

/** Formats minor units as PayPal's decimal string ("10.00", "1000" for JPY). */
export function formatMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError('minor units must be a safe integer');
  const exp = exponentOf(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const body = exp === 0 ? digits : `${digits.slice(0, digits.length - exp)}.${digits.slice(digits.length - exp)}`;
  return negative ? `-${body}` : body;
}

export function money(minor: number, currency: string): PaypalMoney {
  return { currency_code: currency, value: formatMinor(minor, currency) };
}

/**
 * The sandbox's fee: 3.49% + a fixed 49 minor units (0 for zero-decimal currencies: 49 yen is too much),
 * rounded half up in integer arithmetic; never more than the gross.
 */
export function paypalFee(grossMinor: number, currency: string): number {
  const fixed = exponentOf(currency) === 0 ? 0 : 49;
  const variable = Math.floor((grossMinor * 349 + 5000) / 10000);
  return Math.min(grossMinor, variable + fixed);
}
