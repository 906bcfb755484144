// The pure entry: the main one injects js.stripe.com as soon as it is imported, before the sandbox's stand-in is in place.
import type { Stripe } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';

let loading: Promise<Stripe | null> | null = null;

function injectScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

/**
 * Stripe.js, once per page. In sandbox mode the stand-in is loaded first: @stripe/stripe-js then finds
 * `window.Stripe` and uses it instead of fetching js.stripe.com. Browser only.
 */
export function stripeOnce(publishableKey: string, stripeJsUrl: string | null): Promise<Stripe | null> {
  loading ??= (async () => {
    if (stripeJsUrl && !(window as { Stripe?: unknown }).Stripe) await injectScript(stripeJsUrl);
    return loadStripe(publishableKey);
  })();
  return loading;
}
