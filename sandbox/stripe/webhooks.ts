/**
 * Stripe's webhook signing (Stripe-Signature: t=...,v1=HMAC-SHA256(secret, `${t}.${body}`)) and the fan-out
 * of each event to the app's endpoint and to every enabled endpoint created through the API.
 */
import { createHmac } from 'node:crypto';
import type { SandboxSettings } from '../core/contracts';
import type { DeliverySigner, SandboxDeliverer } from '../core/deliverer';
import { STRIPE_WEBHOOK_PATH } from '../core/defaults';
import { eventTypeMatches } from './resources/events';
import type { StripeObject, StripeState } from './state';

export function stripeSignatureHeader(body: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

/** Signs with the endpoint's own secret, or the app's STRIPE_WEBHOOK_SECRET for the app endpoint. */
export function createStripeSigner(settings: SandboxSettings, secrets: () => Record<string, string>): DeliverySigner {
  return (body, attemptAtMs, webhook) => {
    const endpointId = (webhook as { endpointId?: string } | undefined)?.endpointId;
    const secret = (endpointId && secrets()[endpointId]) || settings.stripe.webhookSecret;
    return {
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'Stripe-Signature': stripeSignatureHeader(body, secret, Math.floor(attemptAtMs / 1000)),
    };
  };
}

export function appWebhookUrl(settings: SandboxSettings): string | null {
  return settings.appUrl ? `${settings.appUrl}${STRIPE_WEBHOOK_PATH}` : null;
}

/** Queues each event for delivery; sets `pending_webhooks` to the number of endpoints it goes to. */
export function deliverEvents(
  events: StripeObject[],
  state: StripeState,
  settings: SandboxSettings,
  deliverer: SandboxDeliverer,
): void {
  const appUrl = appWebhookUrl(settings);
  for (const event of events) {
    const type = event.type as string;
    const targets: Array<{ url: string; endpointId?: string }> = [];
    if (appUrl) targets.push({ url: appUrl });
    for (const endpoint of Object.values(state.webhook_endpoints)) {
      if (endpoint.status !== 'enabled') continue;
      if (!(endpoint.enabled_events as string[]).some((pattern) => eventTypeMatches(type, pattern))) continue;
      targets.push({ url: endpoint.url as string, endpointId: endpoint.id });
    }
    event.pending_webhooks = targets.length;
    const body = JSON.stringify(event, null, 2);
    for (const target of targets) {
      deliverer.enqueue({ provider: 'stripe', eventId: event.id, eventType: type, url: target.url, body, ...(target.endpointId ? { endpointId: target.endpointId } : {}) });
    }
  }
}
