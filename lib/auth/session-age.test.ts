import { describe, expect, it } from 'vitest';
import { endedByPasswordChange, signedInAtOf } from './session-age';

describe('sessions and password changes', () => {
  const changed = new Date('2026-12-07T10:00:00.900Z');

  it('a sign-in just after a reset, in the same second, survives it', () => {
    const signedInAt = Date.parse('2026-12-07T10:00:00.950Z');
    expect(endedByPasswordChange(changed, signedInAtOf({ signedInAt, iat: Math.floor(signedInAt / 1000) }, signedInAt + 5000))).toBe(false);
  });

  it('a session signed in before the change ends, even in the same second', () => {
    const signedInAt = Date.parse('2026-12-07T10:00:00.100Z');
    expect(endedByPasswordChange(changed, signedInAtOf({ signedInAt }, Date.now()))).toBe(true);
  });

  it('a token from before the sign-in time was carried falls back to its iat, in whole seconds', () => {
    expect(signedInAtOf({ iat: 1_796_000_000 }, 0)).toBe(1_796_000_000_000);
    expect(endedByPasswordChange(new Date(1_796_000_000_500), signedInAtOf({ iat: 1_796_000_000 }, 0))).toBe(true);
    expect(signedInAtOf({}, 42)).toBe(42);
  });

  it('an account whose password never changed keeps its sessions', () => {
    expect(endedByPasswordChange(null, 0)).toBe(false);
  });
});
