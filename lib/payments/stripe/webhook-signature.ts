/** Verifies a Stripe webhook with the endpoint secret, as Stripe's SDK does (HMAC-SHA256, 300 s tolerance). */
import Stripe from 'stripe';

export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface VerifiedStripeEvent {
  id: string;
  type: string;
  payload: Stripe.Event;
}

const verifier = new Stripe('sk_unused_for_verification');

/** Returns the event, or throws with a short reason (never including the body). */
export async function verifyStripeWebhook(rawBody: string, signatureHeader: string, secret: string): Promise<VerifiedStripeEvent> {
  const event = await verifier.webhooks.constructEventAsync(rawBody, signatureHeader, secret, STRIPE_SIGNATURE_TOLERANCE_SECONDS);
  if (typeof event.id !== 'string' || typeof event.type !== 'string') throw new Error('event has no id or type');
  return { id: event.id, type: event.type, payload: event };
}
