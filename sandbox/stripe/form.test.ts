import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeForm, parseForm } from './form';

describe('form encoding', () => {
  it('parses bracket nesting and indexed arrays like the SDK sends them', () => {
    expect(parseForm('a=1&b[c]=2&b[d][e]=3&expand[0]=x&expand[1]=y&items[0][price]=p&items[0][qty]=2&tags[]=t1&tags[]=t2')).toEqual({
      a: '1',
      b: { c: '2', d: { e: '3' } },
      expand: ['x', 'y'],
      items: [{ price: 'p', qty: '2' }],
      tags: ['t1', 't2'],
    });
    expect(parseForm('metadata[a%20b]=c+d&x=%5B')).toEqual({ metadata: { 'a b': 'c d' }, x: '[' });
    expect(() => parseForm('a[b=1')).toThrow();
  });

  it('round-trips nested objects of strings', () => {
    const key = fc.stringMatching(/^[a-z_]{1,8}$/);
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string({ minLength: 1 }), fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), (data) => {
        expect(parseForm(encodeForm(data as Record<string, unknown>))).toEqual(data);
      }),
      { numRuns: 200 },
    );
  });
});
