/** Keeps post-sign-in redirects on this site: only same-origin paths pass, anything else goes home. */
export function safeReturnPath(value: unknown, fallback = '/billing'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}
