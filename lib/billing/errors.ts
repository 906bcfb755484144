/**
 * Typed errors of the billing engine. Services catch these by class (never by message) to answer
 * the caller: a `BillingInputError` is the caller's mistake (a 4xx), anything else is a bug.
 */

/** Bad input to a billing function: a non-integer amount, a zero quantity, a time outside a period... */
export class BillingInputError extends Error {
  override readonly name: string = 'BillingInputError';
}

/** Two amounts in different currencies were combined. */
export class CurrencyMismatchError extends BillingInputError {
  override readonly name = 'CurrencyMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
    operation: string,
  ) {
    super(`${operation}: currency mismatch, expected ${expected} but got ${actual}`);
  }
}

/** A result would leave the range of exactly representable integers (Number.MAX_SAFE_INTEGER). */
export class AmountOverflowError extends BillingInputError {
  override readonly name = 'AmountOverflowError';
}

/** An event that the subscription's current state does not allow (a conflict, never a silent overwrite). */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: string,
    readonly event: string,
    readonly reason: string,
  ) {
    super(`cannot apply ${event} to a ${from} subscription: ${reason}`);
  }
}
