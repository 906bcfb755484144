/** Errors of the portal's subscription actions, written for the customer; routes map them by status. */
export class SubscriptionActionError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SubscriptionActionError';
  }
}
