/**
 * Tax: which tax an invoice carries and how much, from dated rate data (db/data/tax-rates.json, the
 * `tax_rates` table), the seller's registrations and the customer's address and VAT number. Pure:
 * the rates, the settings and the instant are parameters. The checkout, the portal and the invoice
 * call `computeTax` with the same input and so show the same tax.
 *
 * Decision order (see the README's "Tax rules"):
 *   1. Reverse charge: an EU customer with a VAT number of the right format for its country (and not
 *      refused by a live VIES check) buying from a seller not established in that member state, or a
 *      UK customer with a GB/XI VAT number buying from a seller not established in the UK, pays no
 *      VAT; the invoice carries a 0 line and the legal note.
 *   2. US and Canada: the tax depends on the state/province, from `address.region` or else the
 *      postal code; without either the result is `needs_region` (no lines; ask for the postal code).
 *   3. Registration: tax is charged only where the seller is registered (`registrations`). An
 *      EU-established seller is always registered at home; selling to consumers in other member
 *      states without `EU` (One-Stop-Shop) or that state's registration, it charges its home VAT
 *      (the place of supply stays with the seller under the EUR 10,000 threshold, Directive
 *      2006/112/EC Article 59c). Otherwise an unregistered destination gets `not_registered`.
 *   4. Rates: for the place (country, plus region for US/CA) and each tax type, the row with the
 *      greatest `validFrom` ≤ `at`. A 0 % row (US states without sales tax) or no row: `no_tax`.
 *
 * Amounts: the taxable base is Σ lines − Σ discounts (proration credits included). A base ≤ 0 gets no
 * tax lines. Per rate, once per invoice, rounded half up (away from zero) to the minor unit:
 *   exclusive: tax = base × p / 100                 (added on top by computeInvoiceTotals)
 *   inclusive: tax = base × p / (100 + p)           (already inside the lines; net = base − tax)
 * The percentage is exact: a decimal string with up to 4 decimals, read as an integer × 10⁴ in BigInt.
 */
import { BillingInputError, CurrencyMismatchError } from './errors';
import type { DiscountLine, InvoiceLine, TaxLine } from './invoice-totals';
import { money, normalizeCurrency, subtract, sum, type Money } from './money';
import { assertInstant, daysFromCivil, daysInMonth, MS_PER_DAY, type EpochMs } from './periods';
import { CA_PROVINCES, US_OTHER_REGIONS, US_STATES, regionFromPostalCode } from './postal-regions';
import { validateVatIdFormat } from './vat-id';

export type TaxType = 'vat' | 'gst' | 'hst' | 'sales_tax';
export const TAX_TYPES: readonly TaxType[] = ['vat', 'gst', 'hst', 'sales_tax'];

const TAX_TYPE_LABELS: Readonly<Record<TaxType, string>> = { vat: 'VAT', gst: 'GST', hst: 'HST', sales_tax: 'Sales tax' };

/** The 27 member states (ISO 3166-1 alpha-2; Greece is GR here, EL only in VAT numbers). */
export const EU_MEMBER_STATES: Readonly<Record<string, string>> = Object.freeze({
  AT: 'Austria', BE: 'Belgium', BG: 'Bulgaria', HR: 'Croatia', CY: 'Cyprus', CZ: 'Czechia', DK: 'Denmark',
  EE: 'Estonia', FI: 'Finland', FR: 'France', DE: 'Germany', GR: 'Greece', HU: 'Hungary', IE: 'Ireland',
  IT: 'Italy', LV: 'Latvia', LT: 'Lithuania', LU: 'Luxembourg', MT: 'Malta', NL: 'Netherlands', PL: 'Poland',
  PT: 'Portugal', RO: 'Romania', SK: 'Slovakia', SI: 'Slovenia', ES: 'Spain', SE: 'Sweden',
});

export function isEuMemberState(country: string): boolean {
  return Object.hasOwn(EU_MEMBER_STATES, country);
}

/** A dated rate: it applies at its place from `validFrom` until a later row of the same place and type. */
export interface TaxRate {
  /** Stable id, by convention `COUNTRY[-REGION]-type-YYYY-MM-DD` (e.g. `DE-vat-2021-01-01`). */
  readonly id: string;
  /** ISO 3166-1 alpha-2, upper case (the UK is GB, Greece GR). */
  readonly country: string;
  /** US state or Canadian province code; null for a whole country. Required for US and CA rows. */
  readonly region: string | null;
  readonly type: TaxType;
  /** Shown on invoices: "Germany", "California", "Ontario". */
  readonly jurisdiction: string;
  /** Percent as a canonical decimal string: "19", "7.25", "25.5" (no trailing zeros), 0 to 100. */
  readonly percentage: string;
  /** 00:00 UTC of the day the rate applies from. */
  readonly validFrom: EpochMs;
}

export interface TaxAddress {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** US state / Canadian province code (`CA`, `ON`; `US-CA` and `CA-ON` are accepted too). */
  readonly region?: string | null;
  readonly postalCode?: string | null;
}

export interface SellerTaxSettings {
  /** Where the seller is established (ISO 3166-1 alpha-2). */
  readonly country: string;
  /**
   * Where the seller is registered to collect tax: `EU` (EU VAT One-Stop-Shop: destination VAT in
   * every member state), an ISO country (`GB`, `AU`, `CA`, `DE`: the whole country), `US-XX` (one US
   * state) or `US` (every state and DC). See `parseTaxRegistrations`.
   */
  readonly registrations: readonly string[];
}

export interface TaxCustomer {
  readonly address: TaxAddress;
  /** The VAT number as the customer typed it (any spacing, with or without the country prefix). */
  readonly vatId?: string | null;
  /** A live VIES answer when one was obtained: false = VIES says invalid; null/undefined = not checked or unreachable. */
  readonly vatIdVerified?: boolean | null;
}

export interface ComputeTaxInput {
  readonly currency: string;
  readonly lines: readonly InvoiceLine[];
  readonly discounts?: readonly DiscountLine[];
  readonly customer: TaxCustomer;
  readonly seller: SellerTaxSettings;
  /** Parsed rate rows (`parseTaxRates`). */
  readonly rates: readonly TaxRate[];
  /** True when the prices already contain the tax (catalog `tax_behavior = 'inclusive'`). */
  readonly inclusive: boolean;
  /** The instant whose rates apply: the invoice date (a checkout passes the date of the charge it previews). */
  readonly at: EpochMs;
}

/**
 * - `taxed`: tax lines charge the rate(s) of `jurisdiction` (none when the base is ≤ 0).
 * - `reverse_charge`: a 0 VAT line and the legal `note`; the customer accounts for the VAT.
 * - `not_registered`: the seller has no registration where the tax is due: no lines.
 * - `no_tax`: registered, but the rate is 0 % (US states without sales tax) or no rate is on file.
 * - `needs_region`: a US/Canadian customer without a usable state/province or postal code. No lines;
 *   the checkout must ask for the postal code, and an invoice must not be finalized with it.
 */
export type TaxTreatment = 'taxed' | 'reverse_charge' | 'not_registered' | 'no_tax' | 'needs_region';

export interface TaxResult {
  /** Pass to `computeInvoiceTotals` as `taxes`. Amounts ≥ 0. */
  readonly taxes: TaxLine[];
  readonly treatment: TaxTreatment;
  /** Text the invoice must print (the reverse-charge note), else null. */
  readonly note: string | null;
  /** Where the tax is due ("Germany", "California"), null when no tax place applies. */
  readonly jurisdiction: string | null;
  // The fields below are always set by `computeTax`; they are optional so that a caller can build a
  // plain "no tax computed yet" result ({ taxes: [], treatment: 'no_tax', note: null, jurisdiction: null }).
  /** The customer's US state / Canadian province as used (given or derived from the postal code). */
  readonly region?: string | null;
  /** The rate rows that apply (0 % rows included), e.g. to show "VAT 19%" before the base is known. */
  readonly rates?: readonly TaxRate[];
  /** Why this treatment, in a sentence, for the admin and the logs (not for the invoice). */
  readonly explanation?: string;
}

/** What `computeTax` returns: a `TaxResult` whose optional fields are all set. */
export interface ComputedTax extends TaxResult {
  readonly region: string | null;
  readonly rates: readonly TaxRate[];
  readonly explanation: string;
}

/** `taxRateId` of a reverse-charge line: it is not a `tax_rates` row. */
export const REVERSE_CHARGE_TAX_RATE_ID = 'reverse-charge';

/** The legal note of an EU reverse-charge invoice (Council Directive 2006/112/EC, Articles 196 and 226(11a)). */
export const EU_REVERSE_CHARGE_NOTE = 'Reverse charge: VAT to be accounted for by the recipient under Article 196 of Council Directive 2006/112/EC.';
/** The note of a UK reverse-charge invoice (Value Added Tax Act 1994, section 8). */
export const UK_REVERSE_CHARGE_NOTE = 'Reverse charge: the customer must account for the VAT to HMRC (Value Added Tax Act 1994, section 8).';

// ---------------------------------------------------------------- percentages

const SCALE = 10_000n;
const HUNDRED_PERCENT = 100n * SCALE;
const PERCENTAGE = /^(\d{1,3})(?:\.(\d{1,4}))?$/;

/** "7.25" -> 72500n (percent × 10⁴); throws on anything but a decimal from 0 to 100 with ≤ 4 decimals. */
export function parsePercentage(value: string): bigint {
  const match = typeof value === 'string' ? PERCENTAGE.exec(value.trim()) : null;
  if (!match) throw new BillingInputError(`percentage "${String(value)}" must be a decimal string from 0 to 100 with up to 4 decimals, like "19" or "7.25"`);
  const scaled = BigInt(match[1]) * SCALE + BigInt((match[2] ?? '').padEnd(4, '0'));
  if (scaled > HUNDRED_PERCENT) throw new BillingInputError(`percentage "${value}" is above 100`);
  return scaled;
}

function formatPercentage(scaled: bigint): string {
  const whole = scaled / SCALE;
  const fraction = (scaled % SCALE).toString().padStart(4, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** n / d rounded half up (away from zero); n ≥ 0, d > 0. */
function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * The tax in `amount` at `percentage`, rounded half up (away from zero) to the minor unit.
 * Exclusive: amount × p / 100. Inclusive (the amount contains the tax): amount × p / (100 + p).
 * A negative or zero amount has no tax (0).
 */
export function taxOnAmount(amount: Money, percentage: string, inclusive: boolean): Money {
  const base = money(amount.amount, amount.currency);
  const p = parsePercentage(percentage);
  if (base.amount <= 0 || p === 0n) return money(0, base.currency);
  const denominator = inclusive ? HUNDRED_PERCENT + p : HUNDRED_PERCENT;
  return money(Number(divideRoundHalfUp(BigInt(base.amount) * p, denominator)), base.currency);
}

// ---------------------------------------------------------------- codes

function normalizeCountry(country: unknown, what: string): string {
  const code = typeof country === 'string' ? country.trim().toUpperCase() : '';
  if (code === 'UK') throw new BillingInputError(`${what} "${String(country)}": the United Kingdom's ISO code is GB`);
  if (code === 'EL') throw new BillingInputError(`${what} "${String(country)}": Greece's ISO code is GR (EL is only its VAT prefix)`);
  if (!/^[A-Z]{2}$/.test(code)) throw new BillingInputError(`${what} "${String(country)}" is not an ISO 3166-1 alpha-2 country code`);
  return code;
}

function isUsRegion(code: string): boolean {
  return Object.hasOwn(US_STATES, code) || Object.hasOwn(US_OTHER_REGIONS, code);
}

function regionName(country: string, region: string): string {
  if (country === 'US') return US_STATES[region] ?? US_OTHER_REGIONS[region] ?? region;
  if (country === 'CA') return CA_PROVINCES[region] ?? region;
  return region;
}

function hasRegions(country: string): boolean {
  return country === 'US' || country === 'CA';
}

/** Validates and normalizes a region code for US/CA: `ca` -> `CA`, `US-CA` -> `CA`. */
function normalizeRegion(country: string, region: string, what: string): string {
  let code = region.trim().toUpperCase();
  if (code.startsWith(`${country}-`)) code = code.slice(3);
  const known = country === 'US' ? isUsRegion(code) : Object.hasOwn(CA_PROVINCES, code);
  if (!known) {
    throw new BillingInputError(`${what} "${region}" is not a ${country === 'US' ? 'US state (or DC / territory) code like "CA"' : 'Canadian province or territory code like "ON"'}`);
  }
  return code;
}

// ---------------------------------------------------------------- registrations

/** Validates one registration code (see `SellerTaxSettings.registrations`) and returns it normalized. */
export function parseTaxRegistration(code: string): string {
  const value = typeof code === 'string' ? code.trim().toUpperCase() : '';
  if (value === 'EU') return value;
  const us = /^US-([A-Z]{2})$/.exec(value);
  if (us) {
    if (!isUsRegion(us[1])) throw new BillingInputError(`tax registration "${code}": ${us[1]} is not a US state, DC or territory code`);
    return value;
  }
  if (/^CA-[A-Z]{2}$/.test(value)) throw new BillingInputError(`tax registration "${code}": Canadian GST/HST registration is federal, use "CA"`);
  if (value === 'XI') throw new BillingInputError(`tax registration "${code}": Northern Ireland is part of the UK VAT registration, use "GB"`);
  if (/^[A-Z]{2}$/.test(value)) return normalizeCountry(value, 'tax registration');
  throw new BillingInputError(`tax registration "${code}" is not a code: use EU, a country code (GB, AU, CA, DE, ...), US or US-XX for a state`);
}

/**
 * Parses the comma-separated registrations setting, e.g. `"EU, GB, US-NY, US-TX"`. Case and spaces do
 * not matter, empty items and repeats are dropped; a bad item throws naming it. `""` means nowhere.
 */
export function parseTaxRegistrations(text: string): string[] {
  if (typeof text !== 'string') throw new BillingInputError('tax registrations must be a comma-separated string');
  const out: string[] = [];
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const code = parseTaxRegistration(item);
    if (!out.includes(code)) out.push(code);
  }
  return out;
}

// ---------------------------------------------------------------- rate data

const RATE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` -> 00:00 UTC of that day. */
export function parseIsoDate(value: string): EpochMs {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) throw new BillingInputError(`"${String(value)}" is not a date in YYYY-MM-DD form`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new BillingInputError(`"${value}" is not a calendar date`);
  const t = daysFromCivil(year, month, day) * MS_PER_DAY;
  assertInstant(t, `date "${value}"`);
  return t;
}

function parseValidFrom(value: unknown): EpochMs {
  if (typeof value === 'string') return parseIsoDate(value);
  if (value instanceof Date) {
    const t = value.getTime();
    assertInstant(t, 'validFrom');
    return t;
  }
  if (typeof value === 'number') {
    assertInstant(value, 'validFrom');
    return value;
  }
  throw new BillingInputError(`validFrom must be a YYYY-MM-DD date, got ${JSON.stringify(value) ?? String(value)}`);
}

function field(row: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(row, name) ? row[name] : undefined;
}

/**
 * Validates rate rows (the JSON data file or `tax_rates` rows from the database) and returns them
 * typed: `percentage` canonical ("19.0000" -> "19"), `validFrom` as EpochMs (from a `YYYY-MM-DD`
 * string, a Date or EpochMs). Throws `BillingInputError` naming the row and field: bad country code,
 * region missing/unknown for US and CA or given elsewhere, unknown type, percentage not a decimal
 * string within [0, 100] with ≤ 4 decimals, bad date, duplicate id, two rows for the same place,
 * type and date.
 */
export function parseTaxRates(rows: unknown): TaxRate[] {
  if (!Array.isArray(rows)) throw new BillingInputError('tax rates must be an array of rows');
  const ids = new Set<string>();
  const keys = new Set<string>();
  return rows.map((raw: unknown, index) => {
    const rawId = raw && typeof raw === 'object' ? field(raw as Record<string, unknown>, 'id') : undefined;
    const where = `tax rate row ${index}${typeof rawId === 'string' ? ` ("${rawId}")` : ''}`;
    const fail = (message: string): never => {
      throw new BillingInputError(`${where}: ${message}`);
    };
    const wrap = <T>(name: string, fn: () => T): T => {
      try {
        return fn();
      } catch (error) {
        if (error instanceof BillingInputError) return fail(error.message.startsWith(name) ? error.message : `${name}: ${error.message}`);
        throw error;
      }
    };
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail('must be an object');
    const row = raw as Record<string, unknown>;

    const id = field(row, 'id');
    if (typeof id !== 'string' || !RATE_ID.test(id)) fail(`id must be a non-empty string of letters, digits, ".", "_" or "-", got ${JSON.stringify(id) ?? 'nothing'}`);
    if (ids.has(id as string)) fail(`duplicate id "${String(id)}"`);

    const countryValue = field(row, 'country');
    if (typeof countryValue !== 'string' || !/^[A-Z]{2}$/.test(countryValue)) {
      fail(`country must be an upper-case ISO 3166-1 alpha-2 code, got ${JSON.stringify(countryValue) ?? 'nothing'}`);
    }
    const country = wrap('country', () => normalizeCountry(countryValue, 'country'));

    const regionValue = field(row, 'region') ?? null;
    let region: string | null = null;
    if (hasRegions(country)) {
      if (typeof regionValue !== 'string') fail(`region is required for ${country} rows (a ${country === 'US' ? 'state' : 'province'} code)`);
      region = wrap('region', () => normalizeRegion(country, regionValue as string, 'region'));
      if (region !== regionValue) fail(`region must be written "${region}", got "${String(regionValue)}"`);
    } else if (regionValue !== null) {
      fail(`region must be null for ${country}: regions are used only for US states and Canadian provinces`);
    }

    const type = field(row, 'type');
    if (typeof type !== 'string' || !(TAX_TYPES as readonly string[]).includes(type)) fail(`type must be one of ${TAX_TYPES.join(', ')}, got ${JSON.stringify(type) ?? 'nothing'}`);

    const jurisdiction = field(row, 'jurisdiction');
    if (typeof jurisdiction !== 'string' || jurisdiction.trim() === '') fail('jurisdiction must be a non-empty name, like "Germany" or "California"');

    const percentageValue = field(row, 'percentage');
    if (typeof percentageValue !== 'string') fail(`percentage must be a decimal string like "19" or "7.25", got ${JSON.stringify(percentageValue) ?? 'nothing'}`);
    const percentage = formatPercentage(wrap('percentage', () => parsePercentage(percentageValue as string)));

    const validFrom = wrap('validFrom', () => parseValidFrom(field(row, 'validFrom')));

    const key = `${country}|${region ?? ''}|${String(type)}|${validFrom}`;
    if (keys.has(key)) fail(`another row already sets ${String(type)} for ${country}${region ? `-${region}` : ''} from the same date`);
    ids.add(id as string);
    keys.add(key);
    return Object.freeze({ id: id as string, country, region, type: type as TaxType, jurisdiction: (jurisdiction as string).trim(), percentage, validFrom });
  });
}

/**
 * The rates that apply at a place at an instant: per tax type, the row of that place (country, and
 * region for US/CA, else null) with the greatest `validFrom` ≤ `at`. Ordered vat, gst, hst, sales_tax.
 * To end a tax at a place, add a later "0" row of the same type.
 */
export function applicableTaxRates(rates: readonly TaxRate[], place: { country: string; region: string | null }, at: EpochMs): TaxRate[] {
  assertInstant(at, 'at');
  const latest = new Map<TaxType, TaxRate>();
  for (const rate of rates) {
    if (rate.country !== place.country || rate.region !== place.region || rate.validFrom > at) continue;
    const current = latest.get(rate.type);
    if (current && current.validFrom === rate.validFrom) {
      throw new BillingInputError(`tax rates "${current.id}" and "${rate.id}" both set ${rate.type} for the same place from the same date`);
    }
    if (!current || rate.validFrom > current.validFrom) latest.set(rate.type, rate);
  }
  return TAX_TYPES.flatMap((type) => latest.get(type) ?? []);
}

// ---------------------------------------------------------------- computeTax

function assertAmountIn(value: Money, currency: string, what: string): void {
  money(value.amount, value.currency);
  if (value.currency !== currency) throw new CurrencyMismatchError(currency, value.currency, what);
}

function isRegistered(registrations: readonly string[], sellerCountry: string, country: string, region: string | null): boolean {
  if (isEuMemberState(country)) return sellerCountry === country || registrations.includes('EU') || registrations.includes(country);
  if (country === 'US') return region !== null && ((registrations.includes('US') && Object.hasOwn(US_STATES, region)) || registrations.includes(`US-${region}`));
  return registrations.includes(country);
}

function registeredAnywhereIn(registrations: readonly string[], country: string): boolean {
  if (country === 'US') return registrations.some((r) => r === 'US' || r.startsWith('US-'));
  return registrations.includes(country);
}

/** Computes the tax of an invoice (or a checkout or portal preview of it). See the module comment. */
export function computeTax(input: ComputeTaxInput): ComputedTax {
  const currency = normalizeCurrency(input.currency);
  assertInstant(input.at, 'at');
  if (typeof input.inclusive !== 'boolean') throw new BillingInputError('inclusive must be true or false');
  input.lines.forEach((line, i) => assertAmountIn(line.amount, currency, `line ${i}`));
  const discounts = input.discounts ?? [];
  discounts.forEach((d, i) => {
    assertAmountIn(d.amount, currency, `discount ${i}`);
    if (d.amount.amount < 0) throw new BillingInputError(`discount ${i} must not be negative, got ${d.amount.amount}`);
  });
  const base = subtract(sum(currency, input.lines.map((l) => l.amount)), sum(currency, discounts.map((d) => d.amount)));

  const sellerCountry = normalizeCountry(input.seller?.country, 'seller country');
  if (!Array.isArray(input.seller.registrations)) throw new BillingInputError('seller registrations must be a list of codes');
  const registrations = input.seller.registrations.map(parseTaxRegistration);

  const address = input.customer?.address;
  const country = normalizeCountry(address?.country, 'customer country');
  let region: string | null = null;
  let regionProblem = '';
  if (hasRegions(country)) {
    const givenRegion = typeof address.region === 'string' ? address.region.trim() : '';
    const postalCode = typeof address.postalCode === 'string' ? address.postalCode.trim() : '';
    if (givenRegion !== '') region = normalizeRegion(country, givenRegion, 'customer region');
    else if (postalCode !== '') {
      region = regionFromPostalCode(country, postalCode);
      if (region === null) regionProblem = `"${postalCode}" is not a ${country === 'US' ? 'US ZIP code' : 'Canadian postal code'}`;
    } else regionProblem = `no ${country === 'US' ? 'state or ZIP code' : 'province or postal code'} was given`;
  }
  const rates = input.rates;

  const result = (treatment: TaxTreatment, rest: Partial<Omit<ComputedTax, 'treatment'>> & { explanation: string }): ComputedTax => ({
    taxes: [],
    note: null,
    jurisdiction: null,
    region,
    rates: [],
    ...rest,
    treatment,
  });

  // 1. Reverse charge (B2B across a border): the customer accounts for the VAT.
  const vatId = typeof input.customer.vatId === 'string' ? input.customer.vatId.trim() : '';
  let vatIdRemark = '';
  if (vatId !== '' && (isEuMemberState(country) || country === 'GB')) {
    const check = validateVatIdFormat(country, vatId);
    if (!check.valid) vatIdRemark = ` The VAT number was not used: ${check.reason}.`;
    else if (input.customer.vatIdVerified === false) vatIdRemark = ` The VAT number ${check.normalized} was not used: the live check said it is not valid.`;
    else if (sellerCountry === country) vatIdRemark = ` The VAT number ${check.normalized} does not change a domestic sale.`;
    else {
      const eu = isEuMemberState(country);
      const jurisdiction = eu ? EU_MEMBER_STATES[country] : 'United Kingdom';
      const taxes: TaxLine[] =
        base.amount > 0
          ? [
              {
                kind: 'tax',
                taxRateId: REVERSE_CHARGE_TAX_RATE_ID,
                description: `VAT reverse charge (${jurisdiction})`,
                amount: money(0, currency),
                inclusive: input.inclusive,
                type: 'vat',
                jurisdiction,
                percentage: '0',
                taxableAmount: base,
              },
            ]
          : [];
      return result('reverse_charge', {
        taxes,
        note: `${eu ? EU_REVERSE_CHARGE_NOTE : UK_REVERSE_CHARGE_NOTE} Customer VAT number: ${check.normalized}.`,
        jurisdiction,
        explanation: `Business customer in ${jurisdiction} with VAT number ${check.normalized}, seller established in ${sellerCountry}: reverse charge.${input.customer.vatIdVerified === true ? ' The number was verified live.' : ''}`,
      });
    }
  }

  // 2. Where the tax is due, if anywhere.
  let place: { country: string; region: string | null };
  let why: string;
  if (hasRegions(country)) {
    if (!registeredAnywhereIn(registrations, country)) {
      return result('not_registered', { explanation: `The seller has no tax registration in ${country}.${vatIdRemark}` });
    }
    if (region === null) {
      return result('needs_region', {
        explanation: `Tax in ${country === 'US' ? 'the US depends on the state' : 'Canada depends on the province'} and ${regionProblem}: ask for the postal code.`,
      });
    }
    if (!isRegistered(registrations, sellerCountry, country, region)) {
      return result('not_registered', { explanation: `The seller is not registered for tax in ${regionName(country, region)} (${country}-${region}).` });
    }
    place = { country, region };
    why = `Seller registered in ${country}; customer in ${regionName(country, region)}.`;
  } else if (isRegistered(registrations, sellerCountry, country, null)) {
    place = { country, region: null };
    if (isEuMemberState(country) && sellerCountry === country) why = `Domestic sale in ${EU_MEMBER_STATES[country]}.`;
    else if (isEuMemberState(country) && !registrations.includes(country)) why = `Seller registered for EU VAT (One-Stop-Shop); customer in ${EU_MEMBER_STATES[country]}.`;
    else why = `Seller registered for tax in ${country}.`;
  } else if (isEuMemberState(country) && isEuMemberState(sellerCountry)) {
    place = { country: sellerCountry, region: null };
    why =
      `Consumer in ${EU_MEMBER_STATES[country]}, seller established in ${EU_MEMBER_STATES[sellerCountry]} and not registered for ${country} or the One-Stop-Shop (EU): ` +
      `${EU_MEMBER_STATES[sellerCountry]} VAT applies (Directive 2006/112/EC Article 59c, below the EUR 10,000 threshold; register "EU" above it).`;
  } else {
    return result('not_registered', { explanation: `The seller has no tax registration in ${country}.${vatIdRemark}` });
  }
  why += vatIdRemark;

  // 3. The rate(s) of that place at `at`.
  const applicable = applicableTaxRates(rates, place, input.at);
  const placeName = place.region ? regionName(place.country, place.region) : (EU_MEMBER_STATES[place.country] ?? place.country);
  const charged = applicable.filter((r) => parsePercentage(r.percentage) > 0n);
  if (charged.length === 0) {
    return result('no_tax', {
      jurisdiction: applicable[0]?.jurisdiction ?? placeName,
      rates: applicable,
      explanation: `${why} ${applicable.length ? `The rate there is 0%.` : `No tax rate is on file for ${placeName} at this date.`}`,
    });
  }

  // 4. Amounts: once per rate on the whole base, half up.
  const taxes: TaxLine[] = [];
  if (base.amount > 0) {
    const total = charged.reduce((acc, r) => acc + parsePercentage(r.percentage), 0n);
    const denominator = input.inclusive ? HUNDRED_PERCENT + total : HUNDRED_PERCENT;
    const amounts = charged.map((r) => Number(divideRoundHalfUp(BigInt(base.amount) * parsePercentage(r.percentage), denominator)));
    const taxableAmount = input.inclusive ? money(base.amount - amounts.reduce((a, b) => a + b, 0), currency) : base;
    charged.forEach((rate, i) => {
      // Canonical even for rows that skipped parseTaxRates (a database numeric reads "19.0000").
      const percentage = formatPercentage(parsePercentage(rate.percentage));
      const label = `${TAX_TYPE_LABELS[rate.type]} ${percentage}%`;
      taxes.push({
        kind: 'tax',
        taxRateId: rate.id,
        description: input.inclusive ? `${label} included (${rate.jurisdiction})` : `${label} (${rate.jurisdiction})`,
        amount: money(amounts[i], currency),
        inclusive: input.inclusive,
        type: rate.type,
        jurisdiction: rate.jurisdiction,
        percentage,
        taxableAmount,
      });
    });
  }
  return result('taxed', {
    taxes,
    jurisdiction: charged[0].jurisdiction,
    rates: applicable,
    explanation: `${why}${base.amount > 0 ? '' : ' The taxable amount is not positive, so no tax is charged.'}`,
  });
}
