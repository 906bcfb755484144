import { describe, expect, it } from 'vitest';
import { isValidPostalCode, regionFromPostalCode, US_STATES } from './postal-regions';

describe('regionFromPostalCode: US ZIP codes', () => {
  // [zip, state]: the first and last prefix of each block, and the odd ones inside other blocks.
  const cases: Array<[string, string | null]> = [
    ['00000', null], ['00499', null], ['00501', 'NY'], ['00601', 'PR'], ['00802', 'VI'], ['00901', 'PR'],
    ['01001', 'MA'], ['02799', 'MA'], ['02801', 'RI'], ['02999', 'RI'], ['03001', 'NH'], ['03899', 'NH'],
    ['03901', 'ME'], ['04999', 'ME'], ['05001', 'VT'], ['05501', 'MA'], ['05601', 'VT'], ['05999', 'VT'],
    ['06001', 'CT'], ['06999', 'CT'], ['07001', 'NJ'], ['08999', 'NJ'], ['09001', 'AE'], ['09999', 'AE'],
    ['10001', 'NY'], ['14999', 'NY'], ['15001', 'PA'], ['19699', 'PA'], ['19701', 'DE'], ['19999', 'DE'],
    ['20001', 'DC'], ['20101', 'VA'], ['20201', 'DC'], ['20599', 'DC'], ['20601', 'MD'], ['21999', 'MD'],
    ['22001', 'VA'], ['24699', 'VA'], ['24701', 'WV'], ['26899', 'WV'], ['26901', null], ['27001', 'NC'], ['28999', 'NC'],
    ['29001', 'SC'], ['29999', 'SC'], ['30001', 'GA'], ['31999', 'GA'], ['32001', 'FL'], ['33999', 'FL'],
    ['34001', 'AA'], ['34101', 'FL'], ['34999', 'FL'], ['35001', 'AL'], ['36999', 'AL'], ['37001', 'TN'],
    ['38599', 'TN'], ['38601', 'MS'], ['39799', 'MS'], ['39801', 'GA'], ['39901', 'GA'], ['40001', 'KY'],
    ['42799', 'KY'], ['42801', null], ['43001', 'OH'], ['45999', 'OH'], ['46001', 'IN'], ['47999', 'IN'],
    ['48001', 'MI'], ['49999', 'MI'], ['50001', 'IA'], ['52899', 'IA'], ['53001', 'WI'], ['54999', 'WI'],
    ['55001', 'MN'], ['56799', 'MN'], ['56901', 'DC'], ['57001', 'SD'], ['57799', 'SD'], ['58001', 'ND'],
    ['58899', 'ND'], ['59001', 'MT'], ['59999', 'MT'], ['60001', 'IL'], ['62999', 'IL'], ['63001', 'MO'],
    ['65899', 'MO'], ['66001', 'KS'], ['67999', 'KS'], ['68001', 'NE'], ['69399', 'NE'], ['70001', 'LA'],
    ['71499', 'LA'], ['71601', 'AR'], ['72999', 'AR'], ['73001', 'OK'], ['73301', 'TX'], ['73401', 'OK'],
    ['74999', 'OK'], ['75001', 'TX'], ['79999', 'TX'], ['80001', 'CO'], ['81699', 'CO'], ['82001', 'WY'],
    ['83199', 'WY'], ['83201', 'ID'], ['83899', 'ID'], ['84001', 'UT'], ['84799', 'UT'], ['85001', 'AZ'],
    ['86599', 'AZ'], ['87001', 'NM'], ['88499', 'NM'], ['88501', 'TX'], ['88901', 'NV'], ['89899', 'NV'],
    ['90001', 'CA'], ['96199', 'CA'], ['96201', 'AP'], ['96699', 'AP'], ['96701', 'HI'], ['96799', 'AS'],
    ['96899', 'HI'], ['96910', 'GU'], ['96950', 'MP'], ['97001', 'OR'], ['97999', 'OR'], ['98001', 'WA'],
    ['99499', 'WA'], ['99501', 'AK'], ['99999', 'AK'],
  ];
  it.each(cases)('%s → %s', (zip, state) => {
    expect(regionFromPostalCode('US', zip)).toBe(state);
  });

  it('every state and DC is reachable from some ZIP code', () => {
    const reached = new Set<string>();
    for (let prefix = 0; prefix < 1000; prefix += 1) {
      const region = regionFromPostalCode('US', `${String(prefix).padStart(3, '0')}01`);
      if (region) reached.add(region);
    }
    for (const state of Object.keys(US_STATES)) expect(reached, state).toContain(state);
  });

  it('accepts ZIP+4 with or without the dash; refuses anything else', () => {
    expect(regionFromPostalCode('US', '94105-1234')).toBe('CA');
    expect(regionFromPostalCode('us', ' 941051234 ')).toBe('CA');
    for (const bad of ['9410', '941055', '94105-12', 'ABCDE', '', '94105 1234']) expect(regionFromPostalCode('US', bad), bad).toBeNull();
  });
});

describe('regionFromPostalCode: Canadian postal codes', () => {
  const cases: Array<[string, string | null]> = [
    ['A1A 1A1', 'NL'], ['B3H 4R2', 'NS'], ['C1A 4P3', 'PE'], ['E1C 4M3', 'NB'], ['G1R 4P5', 'QC'], ['H2X 1Y4', 'QC'],
    ['J4K 5G4', 'QC'], ['K1A 0B1', 'ON'], ['L5B 2C9', 'ON'], ['M5V 3L9', 'ON'], ['N2L 3G1', 'ON'], ['P3A 5K6', 'ON'],
    ['R3C 4T3', 'MB'], ['S4P 3Y2', 'SK'], ['T2P 1J9', 'AB'], ['V6B 4Y8', 'BC'], ['X1A 2L9', 'NT'], ['X0E 0P0', 'NT'],
    ['X0A 0H0', 'NU'], ['X0B 1B0', 'NU'], ['X0C 0A0', 'NU'], ['Y1A 6E6', 'YT'], ['k1a0b1', 'ON'], ['  m5v   3l9 ', 'ON'],
    // Letters never used: D F I O Q U anywhere, W Z first.
    ['D1A 1A1', null], ['W1A 1A1', null], ['Z1A 1A1', null], ['K1A 0D1', null], ['K1O 0B1', null],
    ['K1A 0B', null], ['K1A-0B1', null], ['12345', null], ['', null],
  ];
  it.each(cases)('%s → %s', (code, province) => {
    expect(regionFromPostalCode('CA', code)).toBe(province);
  });

  it('other countries have no region', () => {
    expect(regionFromPostalCode('DE', '10115')).toBeNull();
    expect(regionFromPostalCode('GB', 'SW1A 1AA')).toBeNull();
  });
});

describe('isValidPostalCode', () => {
  const cases: Array<[string, string, boolean]> = [
    ['US', '94105', true], ['US', '94105-1234', true], ['US', '9410', false], ['US', 'ABCDE', false],
    ['CA', 'K1A 0B1', true], ['CA', 'k1a0b1', true], ['CA', 'D1A 1A1', false],
    ['GB', 'SW1A 1AA', true], ['GB', 'ec1a1bb', true], ['GB', 'M1 1AE', true], ['GB', 'B33 8TH', true], ['GB', 'GIR 0AA', true],
    ['GB', 'SW1A 1CA', false], ['GB', '12345', false],
    ['DE', '10115', true], ['DE', '1011', false], ['FR', '75008', true], ['FR', '7500', false],
    ['NL', '1012 AB', true], ['NL', '1012ab', true], ['NL', '0123 AB', false], ['NL', '1012 SA', false], ['NL', '1012', false],
    ['AU', '2000', true], ['AU', '200', false], ['AU', '20000', false],
    ['SE', '114 55', true], ['PL', '00-950', true], ['PT', '1000-001', true], ['JP', '100-0001', true], ['IT', '00184', true],
    ['BR', '01310-100', true], ['XX', 'AB-12', true], ['XX', 'A', false], ['XX', 'ABCDEFGHIJK', false], ['XX', '', false], ['XX', '-AB', false],
  ];
  it.each(cases)('%s %s → %s', (country, code, valid) => {
    expect(isValidPostalCode(country, code)).toBe(valid);
  });
});
