import { describe, expect, it } from 'vitest';
import { checkoutPath } from './path';

describe('checkoutPath', () => {
  it('names the price and quantity, and the code only when one was entered', () => {
    expect(checkoutPath('9b2f1c3e-0000-4000-8000-000000000001', 3)).toBe('/checkout?price=9b2f1c3e-0000-4000-8000-000000000001&quantity=3');
    expect(checkoutPath('p', '1', null)).toBe('/checkout?price=p&quantity=1');
    expect(checkoutPath('p', 1, 'WELCOME20')).toBe('/checkout?price=p&quantity=1&coupon=WELCOME20');
  });

  it('encodes what was typed', () => {
    expect(checkoutPath('a&b', '2 seats', 'x y')).toBe('/checkout?price=a%26b&quantity=2+seats&coupon=x+y');
  });
});
