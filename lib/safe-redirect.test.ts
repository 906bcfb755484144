import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './safe-redirect';

describe('safeReturnPath', () => {
  it('keeps same-site paths', () => {
    expect(safeReturnPath('/checkout/pro?interval=year')).toBe('/checkout/pro?interval=year');
  });
  it('refuses other sites and odd values', () => {
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', undefined, 42]) {
      expect(safeReturnPath(bad)).toBe('/billing');
    }
  });
});
