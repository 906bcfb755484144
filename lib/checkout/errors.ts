/**
 * Checkout's typed errors. Route handlers map them by class to an HTTP status; the message is written
 * for the customer and never includes provider secrets or card data.
 */
export abstract class CheckoutError extends Error {
  abstract readonly status: 400 | 402 | 403 | 404 | 409 | 429;
  constructor(
    readonly code: string,
    message: string,
    /** Where the customer can resolve it (e.g. `/billing` for an existing subscription). */
    readonly href?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
  toJSON() {
    return { error: this.message, code: this.code, ...(this.href ? { href: this.href } : {}) };
  }
}

/** The request itself is wrong: unknown or inactive price, bad quantity, not sold alone. */
export class CheckoutRequestError extends CheckoutError {
  readonly status = 400;
}

/** The checkout (or intent) belongs to another customer. */
export class CheckoutForbiddenError extends CheckoutError {
  readonly status = 403;
  constructor() {
    super('forbidden', 'This checkout belongs to another account.');
  }
}

export class CheckoutNotFoundError extends CheckoutError {
  readonly status = 404;
  constructor() {
    super('not_found', 'There is no such checkout.');
  }
}

/** The state of things forbids it: already subscribed, checkout already closed. */
export class CheckoutConflictError extends CheckoutError {
  readonly status = 409;
}

/** The provider declined the payment; the customer may try again with another method. */
export class CheckoutPaymentFailedError extends CheckoutError {
  readonly status = 402;
}

/** Too many attempts in a short time (card testing looks like this). */
export class CheckoutRateLimitedError extends CheckoutError {
  readonly status = 429;
}

/** The JSON response for a checkout error. */
export function checkoutErrorResponse(error: CheckoutError): Response {
  return Response.json(error.toJSON(), { status: error.status });
}
