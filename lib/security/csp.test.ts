import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp';

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';

describe('contentSecurityPolicy', () => {
  it('allows only the sandbox origin for provider content in sandbox mode', () => {
    const policy = contentSecurityPolicy({ nonce: 'abc', development: false, sandboxOrigin: 'http://127.0.0.1:12111', https: false });
    expect(directive(policy, 'script-src')).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic' http://127.0.0.1:12111");
    expect(directive(policy, 'frame-src')).toBe('frame-src http://127.0.0.1:12111');
    expect(policy).not.toContain('stripe.com');
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(policy).not.toContain('unsafe-eval');
  });

  it('allows Stripe and PayPal with real keys, and upgrades requests over https', () => {
    const policy = contentSecurityPolicy({ nonce: 'n', development: false, sandboxOrigin: null, https: true });
    expect(directive(policy, 'frame-src')).toContain('https://js.stripe.com');
    expect(directive(policy, 'script-src')).toContain('https://*.paypal.com');
    expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(policy.endsWith('upgrade-insecure-requests')).toBe(true);
  });

  it('adds eval and websockets only in development', () => {
    const policy = contentSecurityPolicy({ nonce: 'n', development: true, sandboxOrigin: null, https: false });
    expect(directive(policy, 'script-src')).toContain("'unsafe-eval'");
    expect(directive(policy, 'connect-src')).toContain('ws:');
  });
});
