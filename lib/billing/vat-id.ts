/**
 * VAT identification numbers: normalization and the per-country format check (the formats the EU's
 * VIES service documents for the 27 member states, plus the United Kingdom's GB and Northern
 * Ireland's XI numbers). Pure: a format check says a number *could* exist, not that it does; a live
 * check (VIES, HMRC) plugs in through `VatIdVerifier` in the service layer and its answer is passed
 * to the tax computation as `vatIdVerified`.
 *
 * Normalization: upper case; spaces, dots and dashes removed; the country prefix is optional on
 * input and always present on output (`de 123.456.789` -> `DE123456789`). Greece's VAT prefix is
 * `EL` (its ISO country code is GR): both `GR` and `EL` are accepted as the country and as the
 * prefix, and the normalized number starts with `EL`. A GB customer's number may carry `GB` or `XI`.
 */

/** The country prefix of each VAT number format, keyed by the country code accepted as input. */
const VAT_FORMATS: Readonly<Record<string, { prefixes: readonly string[]; body: RegExp; shape: string }>> = Object.freeze({
  AT: { prefixes: ['AT'], body: /^U\d{8}$/, shape: 'U followed by 8 digits' },
  BE: { prefixes: ['BE'], body: /^[01]\d{9}$/, shape: '10 digits starting with 0 or 1' },
  BG: { prefixes: ['BG'], body: /^\d{9,10}$/, shape: '9 or 10 digits' },
  CY: { prefixes: ['CY'], body: /^\d{8}[A-Z]$/, shape: '8 digits and a letter' },
  CZ: { prefixes: ['CZ'], body: /^\d{8,10}$/, shape: '8, 9 or 10 digits' },
  DE: { prefixes: ['DE'], body: /^\d{9}$/, shape: '9 digits' },
  DK: { prefixes: ['DK'], body: /^\d{8}$/, shape: '8 digits' },
  EE: { prefixes: ['EE'], body: /^\d{9}$/, shape: '9 digits' },
  GR: { prefixes: ['EL', 'GR'], body: /^\d{9}$/, shape: '9 digits' },
  ES: { prefixes: ['ES'], body: /^(?:[A-Z]\d{7}[A-Z\d]|\d{8}[A-Z])$/, shape: '9 characters whose first and last are not both digits' },
  FI: { prefixes: ['FI'], body: /^\d{8}$/, shape: '8 digits' },
  FR: { prefixes: ['FR'], body: /^[0-9A-HJ-NP-Z]{2}\d{9}$/, shape: '2 letters or digits (not I or O) and 9 digits' },
  HR: { prefixes: ['HR'], body: /^\d{11}$/, shape: '11 digits' },
  HU: { prefixes: ['HU'], body: /^\d{8}$/, shape: '8 digits' },
  IE: { prefixes: ['IE'], body: /^(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/, shape: '7 digits and 1 or 2 letters (or the old digit-letter-5 digits-letter form)' },
  IT: { prefixes: ['IT'], body: /^\d{11}$/, shape: '11 digits' },
  LT: { prefixes: ['LT'], body: /^(?:\d{9}|\d{12})$/, shape: '9 or 12 digits' },
  LU: { prefixes: ['LU'], body: /^\d{8}$/, shape: '8 digits' },
  LV: { prefixes: ['LV'], body: /^\d{11}$/, shape: '11 digits' },
  MT: { prefixes: ['MT'], body: /^\d{8}$/, shape: '8 digits' },
  NL: { prefixes: ['NL'], body: /^\d{9}B\d{2}$/, shape: '9 digits, B and 2 digits' },
  PL: { prefixes: ['PL'], body: /^\d{10}$/, shape: '10 digits' },
  PT: { prefixes: ['PT'], body: /^\d{9}$/, shape: '9 digits' },
  RO: { prefixes: ['RO'], body: /^[1-9]\d{1,9}$/, shape: '2 to 10 digits, not starting with 0' },
  SE: { prefixes: ['SE'], body: /^\d{10}01$/, shape: '12 digits ending in 01' },
  SI: { prefixes: ['SI'], body: /^\d{8}$/, shape: '8 digits' },
  SK: { prefixes: ['SK'], body: /^\d{10}$/, shape: '10 digits' },
  GB: { prefixes: ['GB', 'XI'], body: /^(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/, shape: '9 or 12 digits, GD000–GD499 or HA500–HA999' },
  XI: { prefixes: ['XI'], body: /^(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/, shape: '9 or 12 digits, GD000–GD499 or HA500–HA999' },
});

/** Input country codes that name another code's format. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = Object.freeze({ EL: 'GR' });

/** Every two-letter prefix a VAT number can start with (to tell a wrong prefix from a bad number). */
const KNOWN_PREFIXES = new Set(Object.values(VAT_FORMATS).flatMap((f) => f.prefixes));

export type VatIdCheck = { valid: true; normalized: string } | { valid: false; reason: string };

/** The countries whose VAT number format is known: the 27 EU member states (GR, also as EL), GB and XI. */
export function vatIdCountries(): string[] {
  return Object.keys(VAT_FORMATS);
}

/** Upper case, without spaces, dots and dashes. */
export function normalizeVatIdInput(vatId: string): string {
  return typeof vatId === 'string' ? vatId.toUpperCase().replace(/[\s.\-]/g, '') : '';
}

/**
 * Checks the format of `vatId` for `country` (ISO 3166-1 alpha-2; `EL` is accepted for Greece and
 * `XI` for Northern Ireland). The prefix is optional; a prefix of another country is refused.
 * Returns the normalized number (with its prefix) or the reason it is not valid. Never throws.
 */
export function validateVatIdFormat(country: string, vatId: string): VatIdCheck {
  const code = typeof country === 'string' ? country.trim().toUpperCase() : '';
  const formatKey = COUNTRY_ALIASES[code] ?? code;
  const format = VAT_FORMATS[formatKey];
  if (!format) return { valid: false, reason: `no VAT number format is known for country "${String(country)}"` };
  const input = normalizeVatIdInput(vatId);
  if (input === '') return { valid: false, reason: 'the VAT number is empty' };
  if (!/^[A-Z0-9+*]+$/.test(input)) return { valid: false, reason: `the VAT number "${vatId}" contains characters other than letters and digits` };

  const canonicalPrefix = format.prefixes[0];
  for (const prefix of format.prefixes) {
    if (input.startsWith(prefix) && format.body.test(input.slice(prefix.length))) {
      // A GB customer's Northern Ireland number keeps its XI prefix; Greece's GR becomes EL.
      const outPrefix = prefix === 'XI' ? 'XI' : canonicalPrefix;
      return { valid: true, normalized: outPrefix + input.slice(prefix.length) };
    }
  }
  // Without a prefix. (Some bodies start with letters, e.g. French keys, so this is tried second.)
  if (format.body.test(input)) return { valid: true, normalized: canonicalPrefix + input };

  const leading = input.slice(0, 2);
  if (KNOWN_PREFIXES.has(leading) && !format.prefixes.includes(leading)) {
    return { valid: false, reason: `the VAT number starts with ${leading}, which is not the prefix for ${code} (${format.prefixes.join(' or ')})` };
  }
  const body = format.prefixes.includes(leading) ? input.slice(2) : input;
  return { valid: false, reason: `a ${code} VAT number is ${canonicalPrefix} followed by ${format.shape}; got "${body}"` };
}

/**
 * Where a live check plugs in: VIES for EU numbers (`checkVatService`), HMRC's "check a UK VAT
 * number" API for GB. Implementations live in the service layer (they do IO); the billing engine
 * only receives their answer as `TaxCustomer.vatIdVerified`. Call `verify` only with a number that
 * passed `validateVatIdFormat`, passing its `normalized` form.
 *
 * Returns true (registered and valid), false (the service says it is not valid: the customer is
 * then taxed as a consumer) or null (the service could not be reached or did not answer: the
 * format check stands, and the caller should retry and record the check's date for the audit).
 */
export interface VatIdVerifier {
  verify(country: string, normalizedVatId: string): Promise<boolean | null>;
}
