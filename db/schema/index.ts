/**
 * The one drizzle schema, for PGlite and PostgreSQL alike, by area. Money is an integer in the
 * currency's minor unit beside an ISO 4217 code; every timestamp is timestamptz (UTC).
 */
export * from './accounts';
export * from './catalog';
export * from './audit';
export * from './email';
export * from './payments';
export * from './webhooks';
export * from './checkout';
export * from './tax';
export * from './invoices';
export * from './credit-notes';
export * from './usage';
