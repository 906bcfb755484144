/**
 * Stripe's documented test cards and test PaymentMethod tokens, as behaviour tags. The sandbox reads a
 * number only to pick its behaviour, brand and last 4; it keeps the tag, never the number.
 */
import { createHmac } from 'node:crypto';

export type CardBehaviour =
  | 'success'
  | 'decline_generic'
  | 'decline_insufficient_funds'
  | 'decline_lost_card'
  | 'decline_stolen_card'
  | 'decline_expired_card'
  | 'decline_incorrect_cvc'
  | 'decline_processing_error'
  | 'authentication_required_unless_setup'
  | 'authentication_always_required'
  | 'charge_fails_after_attach'
  | 'dispute_after_charge'
  | 'refund_fails_later'
  | 'live_card';

export interface Decline {
  code: string;
  declineCode?: string;
  message: string;
  /** charge.outcome */
  networkStatus: 'declined_by_network' | 'not_sent_to_network';
  outcomeType: 'issuer_declined' | 'invalid' | 'blocked';
  sellerMessage: string;
}

const issuerDecline = (declineCode: string, message: string, code = 'card_declined'): Decline => ({
  code,
  declineCode,
  message,
  networkStatus: 'declined_by_network',
  outcomeType: 'issuer_declined',
  sellerMessage: 'The bank did not return any further details with this decline.',
});

export const DECLINES: Partial<Record<CardBehaviour, Decline>> = {
  decline_generic: issuerDecline('generic_decline', 'Your card was declined.'),
  charge_fails_after_attach: issuerDecline('generic_decline', 'Your card was declined.'),
  decline_insufficient_funds: issuerDecline('insufficient_funds', 'Your card has insufficient funds.'),
  decline_lost_card: issuerDecline('lost_card', 'Your card was declined.'),
  decline_stolen_card: issuerDecline('stolen_card', 'Your card was declined.'),
  decline_expired_card: issuerDecline('expired_card', 'Your card has expired.', 'expired_card'),
  decline_incorrect_cvc: issuerDecline('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  decline_processing_error: issuerDecline(
    'processing_error',
    'An error occurred while processing your card. Try again in a little bit.',
    'processing_error',
  ),
  live_card: {
    code: 'card_declined',
    declineCode: 'test_mode_live_card',
    message: 'Your card was declined. Your request was in test mode, but used a non test (live) card.',
    networkStatus: 'not_sent_to_network',
    outcomeType: 'invalid',
    sellerMessage: 'This charge request was in test mode, but did not use a Stripe test card number.',
  },
};

export const AUTHENTICATION_REQUIRED: Decline = {
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
  networkStatus: 'declined_by_network',
  outcomeType: 'issuer_declined',
  sellerMessage: 'The bank returned the decline code `authentication_required`.',
};

/** Declines that happen when the card is validated (attach, SetupIntent) as well as when charged. */
export function declinesOnValidation(behaviour: CardBehaviour): boolean {
  return behaviour !== 'charge_fails_after_attach' && DECLINES[behaviour] !== undefined;
}

export function declineOnCharge(behaviour: CardBehaviour): Decline | undefined {
  return DECLINES[behaviour];
}

interface TestCard {
  number: string;
  behaviour: CardBehaviour;
}

const TEST_CARDS: TestCard[] = [
  { number: '4242424242424242', behaviour: 'success' },
  { number: '4000056655665556', behaviour: 'success' },
  { number: '5555555555554444', behaviour: 'success' },
  { number: '2223003122003222', behaviour: 'success' },
  { number: '5200828282828210', behaviour: 'success' },
  { number: '378282246310005', behaviour: 'success' },
  { number: '371449635398431', behaviour: 'success' },
  { number: '6011111111111117', behaviour: 'success' },
  { number: '3056930009020004', behaviour: 'success' },
  { number: '3566002020360505', behaviour: 'success' },
  { number: '6200000000000005', behaviour: 'success' },
  { number: '4000000000000002', behaviour: 'decline_generic' },
  { number: '4000000000009995', behaviour: 'decline_insufficient_funds' },
  { number: '4000000000009987', behaviour: 'decline_lost_card' },
  { number: '4000000000009979', behaviour: 'decline_stolen_card' },
  { number: '4000000000000069', behaviour: 'decline_expired_card' },
  { number: '4000000000000127', behaviour: 'decline_incorrect_cvc' },
  { number: '4000000000000119', behaviour: 'decline_processing_error' },
  { number: '4000002500003155', behaviour: 'authentication_required_unless_setup' },
  { number: '4000002760003184', behaviour: 'authentication_always_required' },
  { number: '4000000000003220', behaviour: 'authentication_always_required' },
  { number: '4000000000000341', behaviour: 'charge_fails_after_attach' },
  { number: '4000000000000259', behaviour: 'dispute_after_charge' },
  { number: '4000000000005126', behaviour: 'refund_fails_later' },
];

/** Test PaymentMethod tokens (`pm_card_*`) and the card each one stands for. */
export const TEST_PAYMENT_METHOD_TOKENS: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  pm_card_discover: '6011111111111117',
  pm_card_jcb: '3566002020360505',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_visa_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_visa_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_visa_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_authenticationRequiredOnSetup: '4000002500003155',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_createDispute: '4000000000000259',
  pm_card_refundFail: '4000000000005126',
};

/** tok_* test tokens map to the same cards. */
export const TEST_TOKENS: Record<string, string> = {
  tok_visa: '4242424242424242',
  tok_mastercard: '5555555555554444',
  tok_amex: '378282246310005',
  tok_chargeDeclined: '4000000000000002',
  tok_chargeDeclinedInsufficientFunds: '4000000000009995',
  tok_chargeDeclinedExpiredCard: '4000000000000069',
  tok_chargeDeclinedIncorrectCvc: '4000000000000127',
  tok_chargeCustomerFail: '4000000000000341',
  tok_createDispute: '4000000000000259',
  tok_refundFail: '4000000000005126',
};

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'unknown';

export function brandOf(number: string): CardBrand {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(number)) return 'discover';
  if (/^35/.test(number)) return 'jcb';
  if (/^3(0[0-5]|[689])/.test(number)) return 'diners';
  if (/^62/.test(number)) return 'unionpay';
  return 'unknown';
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export interface CardFacts {
  behaviour: CardBehaviour;
  brand: CardBrand;
  last4: string;
  funding: 'credit' | 'debit' | 'prepaid' | 'unknown';
  country: string;
  fingerprint: string;
}

/** Reads what the sandbox keeps about a card number. The number itself is not returned. */
export function cardFacts(number: string, fingerprintKey: string): CardFacts {
  const digits = number.replace(/[\s-]/g, '');
  const known = TEST_CARDS.find((c) => c.number === digits);
  return {
    behaviour: known ? known.behaviour : 'live_card',
    brand: brandOf(digits),
    last4: digits.slice(-4),
    funding: digits === '4000056655665556' || digits === '5200828282828210' ? 'debit' : 'credit',
    country: 'US',
    fingerprint: createHmac('sha256', fingerprintKey).update(digits).digest('base64url').replace(/[-_]/g, '').slice(0, 16),
  };
}

export function cvcLength(brand: CardBrand): number {
  return brand === 'amex' ? 4 : 3;
}

export function needsAuthentication(record: { behaviour: CardBehaviour; setUpForOffSession: boolean }): boolean {
  if (record.behaviour === 'authentication_always_required') return true;
  if (record.behaviour === 'authentication_required_unless_setup') return !record.setUpForOffSession;
  return false;
}
