/**
 * The Content-Security-Policy: scripts only from this app (each page's scripts carry a per-request
 * nonce) and the payment providers' origins, or the local sandbox's in sandbox mode.
 */
export interface CspOptions {
  nonce: string;
  /** Next.js development needs eval for fast refresh. */
  development: boolean;
  /** The provider sandbox's origin in sandbox mode; null for the real providers. */
  sandboxOrigin: string | null;
  /** Send upgrade-insecure-requests (only when the app itself is served over https). */
  https: boolean;
}

const PROVIDERS = {
  script: ['https://js.stripe.com', 'https://*.paypal.com', 'https://*.paypalobjects.com'],
  frame: ['https://js.stripe.com', 'https://hooks.stripe.com', 'https://*.paypal.com'],
  connect: ['https://api.stripe.com', 'https://m.stripe.network', 'https://*.paypal.com'],
  img: ['https://*.stripe.com', 'https://*.paypal.com', 'https://*.paypalobjects.com'],
};

export function contentSecurityPolicy(options: CspOptions): string {
  const providers = (kind: keyof typeof PROVIDERS) => (options.sandboxOrigin ? [options.sandboxOrigin] : PROVIDERS[kind]);
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // 'strict-dynamic' lets nonce'd scripts load their chunks; the origins serve browsers without CSP 3.
    'script-src': ["'self'", `'nonce-${options.nonce}'`, "'strict-dynamic'", ...providers('script'), ...(options.development ? ["'unsafe-eval'"] : [])],
    // Component libraries set style attributes, which nonces cannot cover.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...providers('img')],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...providers('connect'), ...(options.development ? ['ws:'] : [])],
    'frame-src': providers('frame'),
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  const parts = Object.entries(directives).map(([name, values]) => `${name} ${values.join(' ')}`);
  if (options.https) parts.push('upgrade-insecure-requests');
  return parts.join('; ');
}
