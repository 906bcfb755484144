/**
 * Runs before every page: a fresh nonce and the Content-Security-Policy that names it, on the request
 * (Next.js reads it there to put the nonce on its own scripts) and on the response.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { contentSecurityPolicy } from '@/lib/security/csp';

export function proxy(request: NextRequest) {
  const config = getConfig();
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const policy = contentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV !== 'production',
    sandboxOrigin: config.sandbox?.origin ?? null,
    https: config.appUrl.startsWith('https://'),
  });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  return response;
}

export const config = {
  // Pages only: API routes answer JSON, and static assets need no policy.
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon.ico).*)' }],
};
