/** The billing engine's pure arithmetic: money, periods, proration, invoice totals, tax, subscription states, entitlements. */
export { AmountOverflowError, BillingInputError, CurrencyMismatchError, IllegalTransitionError } from './errors';
export {
  add,
  allocate,
  assertQuantity,
  compare,
  divideRoundHalfEven,
  formatMoney,
  maxMoney,
  minMoney,
  minorUnitDigits,
  money,
  multiplyByQuantity,
  negate,
  normalizeCurrency,
  prorate,
  subtract,
  sum,
  zero,
  type Money,
} from './money';
export {
  BILLING_INTERVALS,
  addMonthsClamped,
  formatUtcDate,
  nextPeriodEnd,
  periodAt,
  periodBoundary,
  periodContaining,
  sameCadence,
  trialEndsAt,
  wholeSecondsBetween,
  type BillingCycle,
  type BillingInterval,
  type BillingPeriod,
  type EpochMs,
  type IndexedPeriod,
} from './periods';
export { cycleFor, periodAmount, type PricingModel, type RecurringPrice, type SubscriptionItem } from './price';
export { assertTiers, usageAmount, type UsagePrice, type UsageTier } from './usage-pricing';
export {
  computeInvoiceTotals,
  flatSubscriptionLine,
  oneTimeLine,
  subscriptionLine,
  usageLine,
  type DiscountLine,
  type InvoiceInput,
  type InvoiceLine,
  type InvoiceLineKind,
  type InvoiceTotals,
  type OneTimeLine,
  type ProrationLine,
  type SubscriptionLine,
  type TaxLine,
  type UsageLine,
} from './invoice-totals';
export { fullPeriodLine, limitCreditToPaid, periodDiscountAfterChange, previewChange, prorationLine, type ChangeKind, type ChangePreview, type ChangeRequest, type DowngradePolicy } from './proration';
export {
  acceptedEvents,
  possibleTargets,
  SUBSCRIPTION_EVENT_TYPES,
  SUBSCRIPTION_STATUSES,
  SUBSCRIPTION_TRANSITIONS,
  transition,
  type SubscriptionEvent,
  type SubscriptionEventType,
  type SubscriptionSettings,
  type SubscriptionState,
  type SubscriptionStatus,
} from './subscription-state';
export { canUseFeature, type EntitlementDecision, type EntitlementQuery } from './entitlements';
export {
  applicableTaxRates,
  computeTax,
  EU_MEMBER_STATES,
  EU_REVERSE_CHARGE_NOTE,
  isEuMemberState,
  parseTaxRates,
  parseTaxRegistration,
  parseTaxRegistrations,
  REVERSE_CHARGE_TAX_RATE_ID,
  TAX_TYPES,
  taxOnAmount,
  UK_REVERSE_CHARGE_NOTE,
  type ComputedTax,
  type ComputeTaxInput,
  type SellerTaxSettings,
  type TaxAddress,
  type TaxCustomer,
  type TaxRate,
  type TaxResult,
  type TaxTreatment,
  type TaxType,
} from './tax';
export { normalizeVatIdInput, validateVatIdFormat, vatIdCountries, type VatIdCheck, type VatIdVerifier } from './vat-id';
export { CA_PROVINCES, isValidPostalCode, regionFromPostalCode, US_OTHER_REGIONS, US_STATES } from './postal-regions';
export { planRenewal, type RenewalInput, type RenewalPlan } from './renewal';
export {
  assertCouponDefinition,
  checkRedemption,
  discountAppliesToPeriod,
  discountFor,
  normalizeCouponCode,
  type CouponDefinition,
  type CouponDiscount,
  type CouponDuration,
  type RedemptionCheck,
  type RedemptionRefusal,
  type RedeemableCoupon,
  COUPON_DURATIONS,
} from './coupons';
export { DEFAULT_RETRY_DAYS, nextDunningStep, parseRetrySchedule, type DunningSettings, type DunningStep } from './dunning';
