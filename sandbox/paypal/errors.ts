/**
 * PayPal's error shape: `{ name, message, debug_id, details: [{ field, value, location, issue, description }],
 * links }`, with the HTTP status PayPal uses for each name. Descriptions are PayPal's own texts.
 */
import { randomBytes } from 'node:crypto';

export interface ErrorDetail {
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query';
  issue: string;
  description?: string;
}

export interface PaypalErrorBody {
  name: string;
  message: string;
  debug_id: string;
  details?: ErrorDetail[];
  links?: Array<{ href: string; rel: string; method?: string }>;
}

/** PayPal's texts for the issues the sandbox raises. */
export const ISSUE_DESCRIPTIONS: Record<string, string> = {
  MISSING_REQUIRED_PARAMETER: 'A required field / parameter is missing.',
  INVALID_PARAMETER_VALUE: 'The value of a field is invalid.',
  INVALID_PARAMETER_SYNTAX: 'The value of a field does not conform to the expected format.',
  INVALID_STRING_LENGTH: 'The value of a field is either too short or too long.',
  MALFORMED_REQUEST_JSON: 'The request JSON is not well formed.',
  INVALID_ARRAY_MIN_ITEMS: 'The number of items in an array parameter is too small.',
  INVALID_ARRAY_MAX_ITEMS: 'The number of items in an array parameter is too large.',
  INVALID_CURRENCY_CODE:
    'Currency code is invalid or is not currently supported. Please refer https://developer.paypal.com/docs/api/reference/currency-codes/ for list of supported currency codes.',
  CANNOT_BE_ZERO_OR_NEGATIVE:
    'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.',
  DECIMAL_PRECISION: 'If the currency supports decimals, only two decimal place precision is supported.',
  DECIMALS_NOT_SUPPORTED:
    'Currency does not support decimals. Please refer to https://developer.paypal.com/docs/api/reference/currency-codes/ for more information.',
  AMOUNT_MISMATCH: 'Should equal item_total + tax_total + shipping + handling + insurance - shipping_discount - discount.',
  ORDER_NOT_APPROVED:
    "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid `payment_source` in the request.",
  ORDER_ALREADY_CAPTURED: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
  INSTRUMENT_DECLINED:
    "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  TOKEN_ID_NOT_FOUND: 'Specified token was not found. Verify the token and try the request again.',
  AUTH_CAPTURE_NOT_ENABLED:
    'Authorization and Capture feature is not enabled for the merchant. Make sure that the recipient of the funds is a verified business account.',
  CAPTURE_FULLY_REFUNDED: 'The capture has already been fully refunded',
  REFUND_CAPTURE_CURRENCY_MISMATCH: 'Refund must be in the same currency as the capture',
  REFUND_NOT_ALLOWED: 'Capture cannot be refunded.',
  REFUND_AMOUNT_EXCEEDED:
    'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
  INVALID_RESOURCE_ID: 'Specified resource ID does not exist. Please check the resource ID and try again.',
  ORDER_CANNOT_BE_SAVED: 'The order cannot be saved.',
  TOKEN_NOT_APPROVED: 'The setup token has not been approved by the payer.',
  VAULT_INSTRUCTION_REQUIRED: 'Vault instruction is required. Please use `vault.store_in_vault` to provide vault instruction.',
};

/** Where an API's own texts differ from the common ones above (PayPal's files differ per API). */
const API_DESCRIPTIONS: Record<string, Record<string, string>> = {
  'orders/v2': {
    MISSING_REQUIRED_PARAMETER: 'A required parameter is missing.',
    INVALID_PARAMETER_VALUE: 'A parameter value is not valid.',
    INVALID_STRING_LENGTH: 'The value of a field is either too short or too long',
    INVALID_CURRENCY_CODE:
      'Currency code is invalid or is not currently supported. Please refer https://developer.paypal.com/api/rest/reference/currency-codes/ for list of supported currency codes.',
    DUPLICATE_REFERENCE_ID: '`reference_id` must be unique if multiple `purchase_unit` are provided.',
    MULTI_CURRENCY_ORDER:
      'Multiple differing values of currency_code are not supported. Entire Order request must have the same currency_code.',
    INCOMPATIBLE_PARAMETER_VALUE: 'The value of the field is incompatible/redundant with other fields in the order.',
    PAYMENT_SOURCE_CANNOT_BE_USED:
      'The provided payment source cannot be used to pay for the order. Please try again with a different payment source by creating a new order.',
    NOT_SUPPORTED: 'This field is not currently supported.',
  },
};

/** Issues whose name differs per API (Orders reports decimals in JPY as DECIMAL_PRECISION). */
const API_ISSUE_ALIASES: Record<string, Record<string, string>> = {
  'orders/v2': { DECIMALS_NOT_SUPPORTED: 'DECIMAL_PRECISION' },
};

const MESSAGES: Record<string, string> = {
  INVALID_REQUEST: 'Request is not well-formed, syntactically incorrect, or violates schema.',
  AUTHENTICATION_FAILURE: 'Authentication failed due to missing authorization header, or invalid authentication credentials.',
  NOT_AUTHORIZED: 'Authorization failed due to insufficient permissions.',
  RESOURCE_NOT_FOUND: 'The specified resource does not exist.',
  METHOD_NOT_SUPPORTED: 'The server does not implement the requested HTTP method.',
  UNPROCESSABLE_ENTITY: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
  INTERNAL_SERVER_ERROR: 'An internal server error has occurred.',
};

const STATUS: Record<string, number> = {
  INVALID_REQUEST: 400,
  AUTHENTICATION_FAILURE: 401,
  NOT_AUTHORIZED: 403,
  RESOURCE_NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  UNPROCESSABLE_ENTITY: 422,
  INTERNAL_SERVER_ERROR: 500,
};

export function newDebugId(): string {
  return randomBytes(7).toString('hex');
}

export class PaypalApiError extends Error {
  readonly status: number;
  readonly details: ErrorDetail[];
  constructor(
    readonly errorName: string,
    details: ErrorDetail[] = [],
    status?: number,
  ) {
    super(MESSAGES[errorName] ?? errorName);
    this.status = status ?? STATUS[errorName] ?? 400;
    this.details = details;
  }

  /** `api` picks the documentation page of the information link, e.g. `orders/v2`, `payments/v2`. */
  toBody(api = 'orders/v2'): PaypalErrorBody {
    const body: PaypalErrorBody = { name: this.errorName, message: this.message, debug_id: newDebugId() };
    if (this.details.length > 0) {
      body.details = this.details.map((d) => {
        const issue = API_ISSUE_ALIASES[api]?.[d.issue] ?? d.issue;
        const description = d.description ?? API_DESCRIPTIONS[api]?.[issue] ?? ISSUE_DESCRIPTIONS[issue];
        return { ...d, issue, ...(description ? { description } : {}) };
      });
    }
    const anchor = body.details?.[0]?.issue ?? this.errorName;
    body.links = [{ href: `https://developer.paypal.com/docs/api/${api}/#error-${anchor}`, rel: 'information_link', method: 'GET' }];
    return body;
  }
}

export const invalidRequest = (details: ErrorDetail[]) => new PaypalApiError('INVALID_REQUEST', details);
export const unprocessable = (issue: string, field?: string, value?: string, location: ErrorDetail['location'] = 'body') =>
  new PaypalApiError('UNPROCESSABLE_ENTITY', [
    { ...(field ? { field } : {}), ...(value !== undefined ? { value } : {}), ...(field ? { location } : {}), issue },
  ]);
export const notFound = (field?: string, value?: string) =>
  new PaypalApiError('RESOURCE_NOT_FOUND', [
    { ...(field ? { field, location: 'path' as const } : {}), ...(value !== undefined ? { value } : {}), issue: 'INVALID_RESOURCE_ID' },
  ]);
export const authFailure = () => new PaypalApiError('AUTHENTICATION_FAILURE');
export const methodNotSupported = () => new PaypalApiError('METHOD_NOT_SUPPORTED');
