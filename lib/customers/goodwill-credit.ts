/**
 * A goodwill credit: an admin adds to a customer's credit balance (an outage, a billing mistake), and
 * the next invoices in that currency use it first (lib/invoices/create.ts). The form carries an
 * idempotency key made when it was rendered, so a double submit or a retried request credits once.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { customerBalanceTransactions, customers, type CustomerBalanceTransaction } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { creditBalance, lockCustomer, recordBalanceTransaction } from '@/lib/invoices/balance';
import { currencyExponent, fromMajorUnitString } from '@/lib/money';
import { billedCurrencies } from './admin-queries';

export const MAX_REASON_LENGTH = 500;

export interface GoodwillCredit {
  customerId: string;
  currency: string;
  /** Minor units, > 0. */
  amount: number;
  reason: string;
  /** From the rendered form: one credit per key and customer. */
  idempotencyKey: string;
}

const formSchema = z.object({
  customerId: z.uuid({ message: 'There is no such customer.' }),
  currency: z
    .string({ message: 'Choose a currency.' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Choose a three-letter currency code such as USD.'),
  amount: z.string({ message: 'Enter an amount.' }).trim().min(1, 'Enter an amount.'),
  reason: z
    .string({ message: 'Give a reason.' })
    .trim()
    .min(1, 'Give a reason: it is kept in the ledger and the audit log.')
    .max(MAX_REASON_LENGTH, `Keep the reason under ${MAX_REASON_LENGTH} characters.`),
  idempotencyKey: z.uuid({ message: 'This form is out of date; reload the page and try again.' }),
});

export type GoodwillCreditField = keyof z.infer<typeof formSchema>;
export type GoodwillCreditFormResult = { ok: true; credit: GoodwillCredit } | { ok: false; errors: Partial<Record<GoodwillCreditField, string>> };

/** The form's fields as a credit, the amount read in the currency's major units ("25.00" USD → 2500), or every problem by field. */
export function parseGoodwillCreditForm(fields: Record<string, unknown>): GoodwillCreditFormResult {
  const parsed = formSchema.safeParse(fields);
  const errors: Partial<Record<GoodwillCreditField, string>> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path[0] as GoodwillCreditField] ??= issue.message;
  // The amount is read in its currency (JPY has no decimals, KWD three), so only with a valid one.
  const currency = formSchema.shape.currency.safeParse(fields.currency);
  const amountText = formSchema.shape.amount.safeParse(fields.amount);
  let amount: number | null = null;
  if (currency.success && amountText.success) {
    try {
      amount = fromMajorUnitString(amountText.data, currency.data);
      if (amount <= 0) errors.amount = 'Enter an amount greater than zero: a goodwill credit adds to the balance.';
    } catch {
      const decimals = currencyExponent(currency.data);
      errors.amount = `Enter the amount in ${currency.data} as a plain number, ${decimals === 0 ? 'such as 2500, with no decimals' : `such as 25.${'0'.repeat(decimals)}, with at most ${decimals} decimals`}.`;
    }
  }
  if (!parsed.success || amount === null || errors.amount) return { ok: false, errors };
  const { customerId, reason, idempotencyKey } = parsed.data;
  return { ok: true, credit: { customerId, currency: parsed.data.currency, amount, reason, idempotencyKey } };
}

export class GoodwillCreditError extends Error {
  constructor(
    readonly code: 'customer_not_found' | 'invalid_amount' | 'currency_not_billed' | 'idempotency_key_reused',
    message: string,
  ) {
    super(message);
    this.name = 'GoodwillCreditError';
  }
}

export interface GoodwillCreditResult {
  /** False when this key had already credited: nothing was added this time. */
  credited: boolean;
  transaction: CustomerBalanceTransaction;
  /** The balance in the credit's currency afterwards. */
  balance: number;
}

const ledgerKey = (credit: GoodwillCredit) => `goodwill:${credit.customerId}:${credit.idempotencyKey}`;

/** Credits the customer's balance once per idempotency key, under the customer lock, audited as the admin's act. */
export async function grantGoodwillCredit(db: Database, adminId: string, credit: GoodwillCredit): Promise<GoodwillCreditResult> {
  if (!Number.isSafeInteger(credit.amount) || credit.amount <= 0) throw new GoodwillCreditError('invalid_amount', 'A goodwill credit must be a whole number of minor units greater than zero.');
  return db.transaction(async (tx) => {
    const [customer] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, credit.customerId));
    if (!customer) throw new GoodwillCreditError('customer_not_found', 'There is no such customer.');
    const currencies = await billedCurrencies(tx);
    if (!currencies.includes(credit.currency)) {
      throw new GoodwillCreditError('currency_not_billed', `${credit.currency} is not a currency this app bills in (${currencies.join(', ') || 'none yet'}): a credit in it could never be used.`);
    }
    // Invoices read and spend the balance under this lock: the credit lands wholly before or after one.
    await lockCustomer(tx, credit.customerId);
    const before = await creditBalance(tx, credit.customerId, credit.currency);
    const key = ledgerKey(credit);
    const credited = await recordBalanceTransaction(tx, { customerId: credit.customerId, currency: credit.currency, amount: credit.amount, type: 'goodwill_credit', description: credit.reason, idempotencyKey: key });
    const [transaction] = await tx.select().from(customerBalanceTransactions).where(eq(customerBalanceTransactions.idempotencyKey, key));
    if (!credited) {
      // The same form again is a no-op; the same key with other values is a mistake worth saying.
      const same = transaction.customerId === credit.customerId && transaction.type === 'goodwill_credit' && transaction.currency === credit.currency && transaction.amount === credit.amount && transaction.description === credit.reason;
      if (!same) throw new GoodwillCreditError('idempotency_key_reused', 'This form was already used for a different credit; reload the page to grant another.');
      return { credited: false, transaction, balance: before };
    }
    const balance = before + credit.amount;
    await writeAudit(tx, {
      actorType: 'user',
      actorId: adminId,
      action: 'customer.goodwill_credit',
      entityType: 'customer',
      entityId: credit.customerId,
      before: { balance: { currency: credit.currency, amount: before } },
      after: { balance: { currency: credit.currency, amount: balance } },
      metadata: { transactionId: transaction.id, amount: credit.amount, currency: credit.currency, reason: credit.reason },
    });
    return { credited: true, transaction, balance };
  });
}
