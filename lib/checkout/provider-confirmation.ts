/**
 * What the provider says about a checkout, re-read from the provider (never from the browser): the
 * PaymentIntent or SetupIntent, or the hosted Checkout Session and the intent it created. For
 * PayPal an approved order is captured here first, with a PayPal-Request-Id derived from the
 * checkout, so the return page and the webhook racing capture once.
 */
import type { Checkout, PaymentMethodSummary } from '@/db/schema';
import type { Gateways } from '@/lib/payments/gateways';
import { PaypalApiError } from '@/lib/payments/paypal/client';
import type { PaymentReport } from '@/lib/payments/records';
import { paypalCaptureStatus } from '@/lib/payments/status';
import type { StripePaymentIntent, StripePaymentMethod, StripeSetupIntent } from '@/lib/payments/stripe/client';
import { cardSummary, paymentReportFromIntent } from '@/lib/payments/stripe/reports';

export interface SavedMethod {
  provider: 'stripe' | 'paypal';
  providerCustomerId: string;
  providerPaymentMethodId: string;
  summary: PaymentMethodSummary;
}

export type Confirmation =
  | { outcome: 'succeeded'; report: PaymentReport | null; method: SavedMethod | null }
  /** `terminal`: the provider object can no longer be paid (voided, canceled, capture declined); a new attempt is needed. */
  | { outcome: 'failed'; report: PaymentReport | null; message: string; terminal: boolean }
  | { outcome: 'pending'; report: PaymentReport | null; providerStatus: string };

interface PaypalOrder {
  id: string;
  status: string;
  payment_source?: { paypal?: { email_address?: string; attributes?: { vault?: { id?: string; status?: string; customer?: { id?: string } } } } };
  purchase_units?: Array<{ custom_id?: string; payments?: { captures?: Array<{ id: string; status: string; status_details?: { reason?: string } }> } }>;
}

const STRIPE_CANCELED = 'This payment was canceled. Start the checkout again.';
const PAYPAL_DECLINED = 'PayPal declined the payment. Choose another funding source in PayPal, or pay by card.';

function stripeMethod(method: unknown, customer: unknown): SavedMethod | null {
  const pm = method && typeof method === 'object' ? (method as StripePaymentMethod) : null;
  const customerId = typeof customer === 'string' ? customer : (customer as { id?: string } | null)?.id;
  const summary = pm ? cardSummary(pm) : null;
  return pm && customerId && summary ? { provider: 'stripe', providerCustomerId: customerId, providerPaymentMethodId: pm.id, summary } : null;
}

function setupConfirmation(intent: StripeSetupIntent): Confirmation {
  if (intent.status === 'succeeded') return { outcome: 'succeeded', report: null, method: stripeMethod(intent.payment_method, intent.customer) };
  if (intent.status === 'canceled') return { outcome: 'failed', report: null, message: STRIPE_CANCELED, terminal: true };
  if (intent.last_setup_error) return { outcome: 'failed', report: null, message: intent.last_setup_error.message ?? 'The card could not be saved.', terminal: false };
  return { outcome: 'pending', report: null, providerStatus: intent.status };
}

function paymentConfirmation(intent: StripePaymentIntent): Confirmation {
  const report = paymentReportFromIntent(intent);
  if (report.status === 'succeeded') return { outcome: 'succeeded', report, method: stripeMethod(intent.payment_method, intent.customer) };
  if (report.status === 'canceled') return { outcome: 'failed', report, message: STRIPE_CANCELED, terminal: true };
  if (report.status === 'failed') return { outcome: 'failed', report, message: report.failureMessage ?? 'The payment was declined.', terminal: false };
  return { outcome: 'pending', report, providerStatus: intent.status };
}

function assertOwnedBy(object: { id: string; metadata?: Record<string, string> | null }, checkout: Checkout): void {
  if (object.metadata?.checkoutId !== checkout.id) throw new Error(`${object.id} is not checkout ${checkout.id}'s`);
}

/** A hosted Checkout Session: its intent exists only once the customer paid on Stripe's page. */
async function confirmStripeSession(gateways: Gateways, checkout: Checkout, sessionId: string): Promise<Confirmation> {
  const session = await gateways.stripe.checkout.sessions.retrieve(sessionId, {
    expand: ['payment_intent.latest_charge', 'payment_intent.payment_method', 'setup_intent.payment_method'],
  });
  assertOwnedBy(session, checkout);
  if (session.status === 'expired') return { outcome: 'failed', report: null, message: 'The hosted payment page expired. Start the checkout again.', terminal: true };
  const intent = session.payment_intent && typeof session.payment_intent === 'object' ? session.payment_intent : null;
  const setup = session.setup_intent && typeof session.setup_intent === 'object' ? session.setup_intent : null;
  if (checkout.kind === 'payment' && intent) return paymentConfirmation(intent);
  if (checkout.kind === 'setup' && setup) return setupConfirmation(setup);
  return { outcome: 'pending', report: null, providerStatus: session.status ?? 'open' };
}

async function confirmStripe(gateways: Gateways, checkout: Checkout, intentId: string): Promise<Confirmation> {
  if (checkout.surface === 'hosted') return confirmStripeSession(gateways, checkout, intentId);
  if (checkout.kind === 'setup') {
    const intent = await gateways.stripe.setupIntents.retrieve(intentId, { expand: ['payment_method'] });
    assertOwnedBy(intent, checkout);
    return setupConfirmation(intent);
  }
  const intent = await gateways.stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge', 'payment_method'] });
  assertOwnedBy(intent, checkout);
  return paymentConfirmation(intent);
}

async function captureOnce(gateways: Gateways, checkout: Checkout, orderId: string): Promise<PaypalOrder | 'declined'> {
  const path = `/v2/checkout/orders/${encodeURIComponent(orderId)}`;
  try {
    return await gateways.paypal.request<PaypalOrder>('POST', `${path}/capture`, { requestId: `checkout-${checkout.id}-capture`, body: {} });
  } catch (error) {
    if (!(error instanceof PaypalApiError)) throw error;
    if (error.issue === 'INSTRUMENT_DECLINED') return 'declined';
    // Captured by a call that did not carry our request id: read what it produced.
    if (error.issue === 'ORDER_ALREADY_CAPTURED') return gateways.paypal.request<PaypalOrder>('GET', path);
    throw error;
  }
}

async function confirmPaypal(gateways: Gateways, checkout: Checkout, orderId: string): Promise<Confirmation> {
  let order = await gateways.paypal.request<PaypalOrder>('GET', `/v2/checkout/orders/${encodeURIComponent(orderId)}`);
  if (order.purchase_units?.[0]?.custom_id !== checkout.id) throw new Error(`order ${orderId} is not checkout ${checkout.id}'s`);
  const failed = (code: string, message: string, terminal: boolean): Confirmation => ({
    outcome: 'failed',
    report: { provider: 'paypal', providerPaymentId: orderId, status: 'failed', failureCode: code, failureMessage: message },
    message,
    terminal,
  });
  if (order.status === 'VOIDED') return failed('ORDER_VOIDED', 'The PayPal approval expired. Start the checkout again.', true);
  if (order.status === 'APPROVED') {
    const captured = await captureOnce(gateways, checkout, orderId);
    // INSTRUMENT_DECLINED leaves the order approved: the buyer may pick another funding source and retry.
    if (captured === 'declined') return failed('INSTRUMENT_DECLINED', PAYPAL_DECLINED, false);
    order = captured;
  }
  if (order.status !== 'COMPLETED') return { outcome: 'pending', report: null, providerStatus: order.status };
  const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
  if (!capture) return { outcome: 'pending', report: null, providerStatus: order.status };
  const status = paypalCaptureStatus(capture.status);
  if (status === 'failed') return failed(capture.status_details?.reason ?? capture.status, `${PAYPAL_DECLINED} Start the checkout again.`, true);
  const report: PaymentReport = { provider: 'paypal', providerPaymentId: orderId, status, providerChargeId: capture.id, paymentMethod: { type: 'paypal', email: order.payment_source?.paypal?.email_address ?? null } };
  if (status !== 'succeeded') return { outcome: 'pending', report, providerStatus: capture.status };
  const vault = order.payment_source?.paypal?.attributes?.vault;
  const method: SavedMethod | null =
    vault?.id && vault.customer?.id
      ? { provider: 'paypal', providerCustomerId: vault.customer.id, providerPaymentMethodId: vault.id, summary: { type: 'paypal', email: order.payment_source?.paypal?.email_address ?? null } }
      : null;
  return { outcome: 'succeeded', report, method };
}

export function confirmAtProvider(gateways: Gateways, checkout: Checkout): Promise<Confirmation> {
  if (!checkout.providerIntentId) return Promise.resolve({ outcome: 'pending', report: null, providerStatus: 'not_started' });
  return checkout.provider === 'stripe' ? confirmStripe(gateways, checkout, checkout.providerIntentId) : confirmPaypal(gateways, checkout, checkout.providerIntentId);
}
