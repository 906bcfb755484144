/** Stripe's error objects and HTTP status codes. */
export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'authentication_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
  charge?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  payment_method_type?: string;
  advice_code?: string;
}

export class StripeApiError extends Error {
  /** When true the state changes made before the error stand (a declined charge is a recorded fact). */
  commit = false;
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }

  toJSON(requestId: string): { error: StripeErrorBody } {
    const error: StripeErrorBody = { ...this.body };
    if (error.code && !error.doc_url) error.doc_url = `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}`;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error };
  }
}

export const invalidRequest = (message: string, param?: string, code?: string, status = 400) =>
  new StripeApiError(status, {
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });

export const missingParam = (param: string) =>
  invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');

export const unknownParam = (param: string) =>
  invalidRequest(`Received unknown parameter: ${param}`, param, 'parameter_unknown');

export const invalidParam = (param: string, message: string, code = 'parameter_invalid_string') =>
  invalidRequest(message, param, code);

export const noSuchResource = (kind: string, id: string, param = 'id') =>
  invalidRequest(`No such ${kind}: '${id}'`, param, 'resource_missing', 404);

export const unexpectedState = (message: string, code: string) => invalidRequest(message, undefined, code);

export const unauthorized = (message: string) =>
  new StripeApiError(401, { type: 'invalid_request_error', message });

export const idempotencyMismatch = (key: string) =>
  new StripeApiError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });

export const unknownRoute = (method: string, path: string) =>
  new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
