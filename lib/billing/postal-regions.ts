/**
 * Postal codes: shape checks per country, and the US state / Canadian province a code belongs to.
 * The checkout collects only a country and a postal code, so US and Canadian sales tax needs the
 * region derived from the code. Pure lookups, no data files.
 *
 * US: the first three digits of a ZIP code (its "sectional center") belong to one state, except a
 * handful of mixed prefixes that the US Postal Service shares across a border (see the notes at
 * `US_ZIP3_RANGES`). The ranges below follow the USPS prefix allocation; a prefix the USPS does not
 * use inside a state's block maps to that state (no real code carries it anyway); unused prefixes
 * between blocks (000–004, 269, 428–429, 529, ...) return null. Territories and military post offices return their own codes
 * (PR, VI, GU, AS, MP, AA, AE, AP): they are not states, so a seller's `US` registration does not
 * cover them.
 *
 * Canada: the first letter of a postal code (`A1A 1A1`) is its province or territory; X is split
 * between Nunavut (X0A, X0B, X0C) and the Northwest Territories (the rest).
 */

/** The 50 states and the District of Columbia (USPS codes). */
export const US_STATES: Readonly<Record<string, string>> = Object.freeze({
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
});

/** US territories and military post offices: valid US regions, not states. */
export const US_OTHER_REGIONS: Readonly<Record<string, string>> = Object.freeze({
  PR: 'Puerto Rico', VI: 'U.S. Virgin Islands', GU: 'Guam', AS: 'American Samoa', MP: 'Northern Mariana Islands',
  AA: 'Armed Forces Americas', AE: 'Armed Forces Europe', AP: 'Armed Forces Pacific',
});

/** The 10 provinces and 3 territories. */
export const CA_PROVINCES: Readonly<Record<string, string>> = Object.freeze({
  AB: 'Alberta', BC: 'British Columbia', MB: 'Manitoba', NB: 'New Brunswick', NL: 'Newfoundland and Labrador',
  NS: 'Nova Scotia', NT: 'Northwest Territories', NU: 'Nunavut', ON: 'Ontario', PE: 'Prince Edward Island',
  QC: 'Quebec', SK: 'Saskatchewan', YT: 'Yukon',
});

/**
 * Inclusive ranges of 3-digit ZIP prefixes, [first, last, region]. Mixed prefixes: 005 (Holtsville NY,
 * inside New England's block), 055 (Andover MA, inside Vermont's), 201 (northern Virginia, between DC
 * prefixes), 340 (Armed Forces Americas, inside Florida's), 398–399 (Georgia, after Mississippi),
 * 569 (DC, after Minnesota), 733 (Austin TX, inside Oklahoma's), 885 (El Paso TX, after New Mexico).
 */
const US_ZIP3_RANGES: ReadonlyArray<readonly [number, number, string]> = [
  [5, 5, 'NY'],
  [6, 7, 'PR'],
  [8, 8, 'VI'],
  [9, 9, 'PR'],
  [10, 27, 'MA'],
  [28, 29, 'RI'],
  [30, 38, 'NH'],
  [39, 49, 'ME'],
  [50, 54, 'VT'],
  [55, 55, 'MA'],
  [56, 59, 'VT'],
  [60, 69, 'CT'],
  [70, 89, 'NJ'],
  [90, 99, 'AE'],
  [100, 149, 'NY'],
  [150, 196, 'PA'],
  [197, 199, 'DE'],
  [200, 200, 'DC'],
  [201, 201, 'VA'],
  [202, 205, 'DC'],
  [206, 219, 'MD'],
  [220, 246, 'VA'],
  [247, 268, 'WV'],
  [270, 289, 'NC'],
  [290, 299, 'SC'],
  [300, 319, 'GA'],
  [320, 339, 'FL'],
  [340, 340, 'AA'],
  [341, 349, 'FL'],
  [350, 369, 'AL'],
  [370, 385, 'TN'],
  [386, 397, 'MS'],
  [398, 399, 'GA'],
  [400, 427, 'KY'],
  [430, 459, 'OH'],
  [460, 479, 'IN'],
  [480, 499, 'MI'],
  [500, 528, 'IA'],
  [530, 549, 'WI'],
  [550, 567, 'MN'],
  [569, 569, 'DC'],
  [570, 577, 'SD'],
  [580, 588, 'ND'],
  [590, 599, 'MT'],
  [600, 629, 'IL'],
  [630, 658, 'MO'],
  [660, 679, 'KS'],
  [680, 693, 'NE'],
  [700, 714, 'LA'],
  [716, 729, 'AR'],
  [730, 732, 'OK'],
  [733, 733, 'TX'],
  [734, 749, 'OK'],
  [750, 799, 'TX'],
  [800, 816, 'CO'],
  [820, 831, 'WY'],
  [832, 838, 'ID'],
  [840, 847, 'UT'],
  [850, 865, 'AZ'],
  [870, 884, 'NM'],
  [885, 885, 'TX'],
  [889, 898, 'NV'],
  [900, 961, 'CA'],
  [962, 966, 'AP'],
  [967, 968, 'HI'],
  [969, 969, 'GU'],
  [970, 979, 'OR'],
  [980, 994, 'WA'],
  [995, 999, 'AK'],
];

/** Whole ZIP codes that leave their prefix's region. */
const US_ZIP5_EXCEPTIONS: Readonly<Record<string, string>> = Object.freeze({
  // American Samoa's only ZIP code sits in Hawaii's 967 prefix.
  '96799': 'AS',
  // The Northern Mariana Islands share Guam's 969 prefix.
  '96950': 'MP',
  '96951': 'MP',
  '96952': 'MP',
});

const US_ZIP = /^(\d{5})(?:-?\d{4})?$/;
/** Letters D, F, I, O, Q, U never appear; W and Z never start a code. */
const CA_POSTAL = /^([ABCEGHJ-NPRSTVXY])\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/;
const CA_FIRST_LETTER: Readonly<Record<string, string>> = Object.freeze({
  A: 'NL', B: 'NS', C: 'PE', E: 'NB', G: 'QC', H: 'QC', J: 'QC', K: 'ON', L: 'ON', M: 'ON', N: 'ON', P: 'ON',
  R: 'MB', S: 'SK', T: 'AB', V: 'BC', X: 'NT', Y: 'YT',
});
const NUNAVUT_FSAS = new Set(['X0A', 'X0B', 'X0C']);

const POSTAL_FORMATS: Readonly<Record<string, RegExp>> = Object.freeze({
  US: US_ZIP,
  CA: CA_POSTAL,
  GB: /^(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}|GIR ?0AA)$/,
  DE: /^\d{5}$/,
  FR: /^\d{5}$/,
  NL: /^[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}$/,
  AU: /^\d{4}$/,
  AT: /^\d{4}$/,
  BE: /^\d{4}$/,
  CH: /^\d{4}$/,
  DK: /^\d{4}$/,
  LU: /^\d{4}$/,
  ES: /^\d{5}$/,
  IT: /^\d{5}$/,
  FI: /^\d{5}$/,
  SE: /^\d{3} ?\d{2}$/,
  PL: /^\d{2}-\d{3}$/,
  PT: /^\d{4}-\d{3}$/,
  JP: /^\d{3}-?\d{4}$/,
});
const GENERIC_POSTAL = /^[A-Z0-9][A-Z0-9 -]{0,8}[A-Z0-9]$/;

function clean(postalCode: string): string {
  return typeof postalCode === 'string' ? postalCode.trim().toUpperCase().replace(/\s+/g, ' ') : '';
}

function cleanCountry(country: string): string {
  return typeof country === 'string' ? country.trim().toUpperCase() : '';
}

/**
 * Whether the postal code has the country's shape: US ZIP or ZIP+4, Canadian `A1A 1A1`, UK postcodes,
 * and the national formats of DE, FR, NL, AU, AT, BE, CH, DK, LU, ES, IT, FI, SE, PL, PT, JP. Other
 * countries: 2–10 letters, digits, spaces or dashes. Case and surrounding spaces do not matter.
 */
export function isValidPostalCode(country: string, postalCode: string): boolean {
  const code = clean(postalCode);
  const format = POSTAL_FORMATS[cleanCountry(country)] ?? GENERIC_POSTAL;
  return format.test(code);
}

/**
 * The region a postal code belongs to: a US state (or territory / military code) for a US ZIP code,
 * a Canadian province or territory for a Canadian postal code, null for anything else (other
 * countries, malformed codes, unused ZIP prefixes 000–004).
 */
export function regionFromPostalCode(country: string, postalCode: string): string | null {
  const code = clean(postalCode);
  switch (cleanCountry(country)) {
    case 'US': {
      const match = US_ZIP.exec(code);
      if (!match) return null;
      const zip5 = match[1];
      const exception = US_ZIP5_EXCEPTIONS[zip5];
      if (exception) return exception;
      const prefix = Number(zip5.slice(0, 3));
      for (const [first, last, region] of US_ZIP3_RANGES) {
        if (prefix >= first && prefix <= last) return region;
      }
      return null;
    }
    case 'CA': {
      const match = CA_POSTAL.exec(code);
      if (!match) return null;
      if (NUNAVUT_FSAS.has(code.slice(0, 3))) return 'NU';
      return CA_FIRST_LETTER[match[1]] ?? null;
    }
    default:
      return null;
  }
}
