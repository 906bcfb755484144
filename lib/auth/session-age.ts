/**
 * Whether a password change ended a session. The time of sign-in is carried in the token in
 * milliseconds: the JWT's own `iat` has whole seconds, so a sign-in in the same second as a reset
 * would look older than it and be ended at once.
 */

/** The session's sign-in time in ms: the one carried in the token, or, for a token from before it was carried, its `iat`. */
export function signedInAtOf(token: { signedInAt?: unknown; iat?: unknown }, now: number): number {
  if (typeof token.signedInAt === 'number') return token.signedInAt;
  return typeof token.iat === 'number' ? token.iat * 1000 : now;
}

export function endedByPasswordChange(passwordChangedAt: Date | null, signedInAt: number): boolean {
  return passwordChangedAt !== null && passwordChangedAt.getTime() > signedInAt;
}
