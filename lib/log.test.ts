import { describe, expect, it } from 'vitest';
import { scrub } from './log';

describe('scrub', () => {
  it('masks card numbers in any spacing', () => {
    expect(scrub('card 4242 4242 4242 4242 declined')).toBe('card [redacted-number] declined');
    expect(scrub('4000-0025-0000-3155')).toBe('[redacted-number]');
    expect(scrub('4000002760003184')).toBe('[redacted-number]');
  });

  it('keeps short numbers such as amounts and ids', () => {
    expect(scrub('amount 12999 for order 2026')).toBe('amount 12999 for order 2026');
  });

  it('masks provider secrets and sensitive fields, deeply', () => {
    expect(scrub({ key: 'sk_live_abc123', nested: { password: 'hunter2', note: 'whsec_xyz' }, list: ['Bearer abc.def'] })).toEqual({
      key: '[redacted-secret]',
      nested: { password: '[redacted]', note: '[redacted-secret]' },
      list: ['[redacted-secret]'],
    });
  });
});
