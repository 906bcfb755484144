/** Typed reading and validation of a request's (form-decoded) parameters, with Stripe's 400 errors. */
import { invalidParam, missingParam, unknownParam } from './errors';
import type { FormObject, FormValue } from './form';

export type Metadata = Record<string, string>;

export class Params {
  constructor(
    readonly raw: FormObject,
    private readonly prefix = '',
  ) {}

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  /** Rejects parameters this endpoint does not take ("Received unknown parameter"). */
  only(...keys: string[]): this {
    const allowed = new Set(keys);
    for (const key of Object.keys(this.raw)) if (!allowed.has(key)) throw unknownParam(this.name(key));
    return this;
  }

  private scalar(key: string, required: boolean): string | undefined {
    const value = this.raw[key];
    if (value === undefined) {
      if (required) throw missingParam(this.name(key));
      return undefined;
    }
    if (typeof value !== 'string') throw invalidParam(this.name(key), `Invalid string: ${this.name(key)} must be a string`);
    return value;
  }

  string(key: string, opts: { required?: boolean; maxLength?: number } = {}): string | undefined {
    const value = this.scalar(key, opts.required ?? false);
    if (value === undefined) return undefined;
    if (opts.required && value === '') throw missingParam(this.name(key));
    if (opts.maxLength !== undefined && value.length > opts.maxLength)
      throw invalidParam(this.name(key), `Invalid string: ${this.name(key)} must be at most ${opts.maxLength} characters`);
    return value;
  }

  /** A string that, when present, must be one of `values`. */
  enum<T extends string>(key: string, values: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const value = this.string(key, opts);
    if (value === undefined) return undefined;
    if (!values.includes(value as T))
      throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be one of ${values.join(', ')}`);
    return value as T;
  }

  int(key: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const value = this.scalar(key, opts.required ?? false);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
      throw invalidParam(this.name(key), `Invalid integer: ${value}`, 'parameter_invalid_integer');
    const n = Number(value);
    if (opts.min !== undefined && n < opts.min)
      throw invalidParam(this.name(key), `This value must be greater than or equal to ${opts.min}.`, 'parameter_invalid_integer');
    if (opts.max !== undefined && n > opts.max)
      throw invalidParam(this.name(key), `This value must be less than or equal to ${opts.max}.`, 'parameter_invalid_integer');
    return n;
  }

  bool(key: string): boolean | undefined {
    const value = this.scalar(key, false);
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw invalidParam(this.name(key), `Invalid boolean: ${value}`);
  }

  object(key: string, opts: { required?: boolean } = {}): Params | undefined {
    const value = this.raw[key];
    if (value === undefined || value === '') {
      if (opts.required) throw missingParam(this.name(key));
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value))
      throw invalidParam(this.name(key), `Invalid object: ${this.name(key)} must be an object`);
    return new Params(value, this.name(key));
  }

  /** Arrays of strings, as `key[0]=a&key[1]=b` (or a single value). */
  strings(key: string): string[] | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (value === '') return [];
    const list: FormValue[] = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    if (!Array.isArray(value) && typeof value !== 'string') throw invalidParam(this.name(key), `Invalid array: ${this.name(key)}`);
    return list.map((v, i) => {
      if (typeof v !== 'string') throw invalidParam(`${this.name(key)}[${i}]`, `Invalid string: ${this.name(key)}[${i}]`);
      return v;
    });
  }

  objects(key: string): Params[] | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw invalidParam(this.name(key), `Invalid array: ${this.name(key)} must be an array`);
    return value.map((v, i) => {
      if (typeof v !== 'object' || Array.isArray(v))
        throw invalidParam(`${this.name(key)}[${i}]`, `Invalid object: ${this.name(key)}[${i}]`);
      return new Params(v, `${this.name(key)}[${i}]`);
    });
  }

  /** Stripe's metadata rules; '' unsets everything, a key set to '' removes that key. */
  metadataUpdate(current: Metadata, key = 'metadata'): Metadata {
    const value = this.raw[key];
    if (value === undefined) return current;
    if (value === '') return {};
    if (typeof value !== 'object' || Array.isArray(value))
      throw invalidParam(this.name(key), 'Invalid metadata: must be a hash of string keys and values');
    const next: Metadata = { ...current };
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') throw invalidParam(`${this.name(key)}[${k}]`, `Invalid metadata value for ${k}`);
      if (k.length > 40) throw invalidParam(`${this.name(key)}[${k}]`, 'Metadata keys can be at most 40 characters long.');
      if (v.length > 500) throw invalidParam(`${this.name(key)}[${k}]`, 'Metadata values can be at most 500 characters long.');
      if (v === '') delete next[k];
      else next[k] = v;
    }
    if (Object.keys(next).length > 50) throw invalidParam(this.name(key), 'Metadata can have at most 50 keys.');
    return next;
  }

  expand(): string[] {
    return this.strings('expand') ?? [];
  }
}

/** '' unsets an optional string field (null), absent keeps it. */
export function nullable(value: string | undefined, current: string | null): string | null {
  if (value === undefined) return current;
  return value === '' ? null : value;
}

export const CURRENCY_PATTERN = /^[a-z]{3}$/;

export function currencyParam(p: Params, key = 'currency', required = true): string | undefined {
  const value = p.string(key, { required });
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (!CURRENCY_PATTERN.test(lower)) throw invalidParam(p.name(key), `Invalid currency: ${value}. Stripe currently supports these currencies: usd, eur, gbp, jpy, ...`);
  return lower;
}
