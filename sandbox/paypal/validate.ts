/** Request-body checks that name the offending field the way PayPal does (`/purchase_units/0/amount`). */
import { invalidRequest, unprocessable, type ErrorDetail } from './errors';
import { parseMoney, type PaypalMoney } from './money';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export class Checker {
  readonly details: ErrorDetail[] = [];

  missing(field: string): void {
    this.details.push({ field, location: 'body', issue: 'MISSING_REQUIRED_PARAMETER' });
  }

  invalid(field: string, value: unknown, issue = 'INVALID_PARAMETER_VALUE'): void {
    this.details.push({
      field,
      ...(value !== undefined && typeof value !== 'object' ? { value: String(value) } : {}),
      location: 'body',
      issue,
    });
  }

  /** Optional string with PayPal's length limits. */
  string(obj: Json, key: string, path: string, opts: { required?: boolean; min?: number; max?: number } = {}): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (opts.required) this.missing(`${path}/${key}`);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.invalid(`${path}/${key}`, v, 'INVALID_PARAMETER_SYNTAX');
      return undefined;
    }
    if (v.length < (opts.min ?? 1) || (opts.max !== undefined && v.length > opts.max)) {
      this.invalid(`${path}/${key}`, v, 'INVALID_STRING_LENGTH');
      return undefined;
    }
    return v;
  }

  object(obj: Json, key: string, path: string, required = false): Json | undefined {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (required) this.missing(`${path}/${key}`);
      return undefined;
    }
    if (!isObject(v)) {
      this.invalid(`${path}/${key}`, undefined, 'INVALID_PARAMETER_SYNTAX');
      return undefined;
    }
    return v;
  }

  /** Throws 400 INVALID_REQUEST listing every problem found so far. */
  throwIfAny(): void {
    if (this.details.length > 0) throw invalidRequest(this.details);
  }
}

/**
 * Syntax of a money object (400 when malformed); then its value in minor units, with 422 for the
 * semantic problems (unknown currency, too many decimals, zero or negative).
 */
export function checkMoneySyntax(c: Checker, v: unknown, path: string, required: boolean): PaypalMoney | undefined {
  if (v === undefined || v === null) {
    if (required) c.missing(path);
    return undefined;
  }
  if (!isObject(v)) {
    c.invalid(path, undefined, 'INVALID_PARAMETER_SYNTAX');
    return undefined;
  }
  const before = c.details.length;
  const currency = c.string(v, 'currency_code', path, { required: true, min: 3, max: 3 });
  const value = c.string(v, 'value', path, { required: true, max: 32 });
  if (value !== undefined && !/^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/.test(value)) c.invalid(`${path}/value`, value, 'INVALID_PARAMETER_SYNTAX');
  if (c.details.length > before || currency === undefined || value === undefined) return undefined;
  return { currency_code: currency, value };
}

/** 422 for the semantic problems of a syntactically valid money object; returns minor units. */
export function moneyMinor(m: PaypalMoney, path: string, allowZero = false): number {
  const parsed = parseMoney(m);
  if (!parsed.ok) {
    const field = parsed.issue === 'INVALID_CURRENCY_CODE' ? `${path}/currency_code` : `${path}/value`;
    const value = parsed.issue === 'INVALID_CURRENCY_CODE' ? m.currency_code : m.value;
    throw unprocessable(parsed.issue === 'INVALID_PARAMETER_SYNTAX' ? 'DECIMAL_PRECISION' : parsed.issue, field, value);
  }
  if (parsed.minor < 0 || (!allowZero && parsed.minor === 0)) {
    throw unprocessable('CANNOT_BE_ZERO_OR_NEGATIVE', `${path}/value`, m.value);
  }
  return parsed.minor;
}
