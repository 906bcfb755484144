/** Email contents, one function per template. Plain text first; HTML mirrors it. */
export interface RenderedEmail {
  template: string;
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function layout(paragraphs: string[], link?: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const button = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">${body}${button}</body></html>`;
}

export function passwordResetEmail(input: { resetUrl: string; expiresInMinutes: number }): RenderedEmail {
  const lines = [
    'Someone asked to reset the password of your account.',
    `Use this link within ${input.expiresInMinutes} minutes to choose a new password. It works once.`,
    'If it was not you, ignore this email: your password stays as it is.',
  ];
  return {
    template: 'password_reset',
    subject: 'Reset your password',
    text: `${lines.join('\n\n')}\n\n${input.resetUrl}\n`,
    html: layout(lines, { href: input.resetUrl, label: 'Choose a new password' }),
  };
}

export function welcomeEmail(input: { name: string | null; appUrl: string }): RenderedEmail {
  const lines = [`Welcome${input.name ? `, ${input.name}` : ''}!`, 'Your account is ready. Pick a plan whenever you like.'];
  return {
    template: 'welcome',
    subject: 'Welcome aboard',
    text: `${lines.join('\n\n')}\n\n${input.appUrl}/pricing\n`,
    html: layout(lines, { href: `${input.appUrl}/pricing`, label: 'See the plans' }),
  };
}

export function checkoutReceiptEmail(input: {
  productName: string;
  quantity: number;
  /** Formatted, e.g. `$29.00`; null for a trial (nothing charged). */
  amountPaid: string | null;
  trialEndsOn: string | null;
  nextCharge: { on: string; amount: string } | null;
  billingUrl: string;
}): RenderedEmail {
  const item = input.quantity > 1 ? `${input.quantity} × ${input.productName}` : input.productName;
  const lines = [
    input.amountPaid ? `Thank you for your purchase of ${item}. We received ${input.amountPaid}.` : `Your free trial of ${item} has started. Nothing was charged today.`,
    ...(input.trialEndsOn ? [`The trial ends on ${input.trialEndsOn}.`] : []),
    ...(input.nextCharge ? [`The next charge of ${input.nextCharge.amount} is on ${input.nextCharge.on}. You can change or cancel your plan before then.`] : []),
    'Your invoices and payment methods are on your billing page.',
  ];
  return {
    template: 'checkout_receipt',
    subject: input.amountPaid ? `Receipt for ${input.productName}` : `Your ${input.productName} trial has started`,
    text: `${lines.join('\n\n')}\n\n${input.billingUrl}\n`,
    html: layout(lines, { href: input.billingUrl, label: 'Open billing' }),
  };
}

/**
 * An invoice was finalized (and, when the amount due is zero, settled by credit), paid, or its charge
 * failed or needs the customer's confirmation; a failure says when it is tried again, if it is.
 */
export function invoiceEmail(input: { kind: 'finalized' | 'paid' | 'payment_failed' | 'action_required'; number: string; amount: string; dueNote?: string; nextAttemptOn?: string | null; url: string }): RenderedEmail {
  const retry = input.nextAttemptOn ? `We will try again on ${input.nextAttemptOn}.` : null;
  const text: Record<typeof input.kind, { subject: string; lines: string[]; label: string }> = {
    finalized: { subject: `Invoice ${input.number}`, lines: [`Invoice ${input.number} for ${input.amount} is ready.`, input.dueNote ?? 'We charge your default payment method now.'], label: 'View invoice' },
    paid: { subject: `Receipt for invoice ${input.number}`, lines: [`We received ${input.amount} for invoice ${input.number}. Thank you.`], label: 'View invoice' },
    payment_failed: {
      subject: `Payment failed for invoice ${input.number}`,
      lines: [`We could not charge ${input.amount} for invoice ${input.number}.`, ...(retry ? [retry] : []), 'Add or update your payment method on your billing page: we charge it at once and your subscription continues.'],
      label: 'Update payment method',
    },
    action_required: {
      subject: `Confirm your payment for invoice ${input.number}`,
      lines: [`Your bank asks you to confirm the payment of ${input.amount} for invoice ${input.number}.`, 'Open the link to confirm it; it takes a moment.', ...(retry ? [`If it is not confirmed, ${retry.charAt(0).toLowerCase()}${retry.slice(1)}`] : [])],
      label: 'Confirm payment',
    },
  };
  const t = text[input.kind];
  return { template: `invoice_${input.kind}`, subject: t.subject, text: `${t.lines.join('\n\n')}\n\n${input.url}\n`, html: layout(t.lines, { href: input.url, label: t.label }) };
}

/** The last retry of an invoice failed: it is written off and the subscription canceled or left unpaid. */
export function dunningExhaustedEmail(input: { number: string; amount: string; productName: string | null; outcome: 'canceled' | 'unpaid' | null; billingUrl: string }): RenderedEmail {
  const plan = input.productName ? `Your ${input.productName} subscription` : null;
  const lines = [
    `We tried several times and could not collect ${input.amount} for invoice ${input.number}.`,
    ...(plan && input.outcome === 'canceled' ? [`${plan} is now canceled. You can subscribe again from the pricing page.`] : []),
    ...(plan && input.outcome === 'unpaid' ? [`${plan} is suspended until the invoice is paid: add a payment method on your billing page and we charge it at once.`] : []),
  ];
  return { template: 'dunning_exhausted', subject: `We could not collect payment for invoice ${input.number}`, text: `${lines.join('\n\n')}\n\n${input.billingUrl}\n`, html: layout(lines, { href: input.billingUrl, label: 'Open billing' }) };
}

/** A subscription ended or paused on its own (trial over without a payment method, cancellation at period end). */
export function subscriptionChangedEmail(input: { productName: string; change: 'canceled' | 'paused'; reason: string; billingUrl: string }): RenderedEmail {
  const lines = [`Your ${input.productName} subscription is now ${input.change}: ${input.reason}.`, 'You can subscribe again or resume from your billing page.'];
  return { template: `subscription_${input.change}`, subject: `Your ${input.productName} subscription is ${input.change}`, text: `${lines.join('\n\n')}\n\n${input.billingUrl}\n`, html: layout(lines, { href: input.billingUrl, label: 'Open billing' }) };
}

/** Sent 3 days before a trial ends: what happens then, with or without a payment method on file. */
export function trialEndingEmail(input: { productName: string; endsOn: string; hasPaymentMethod: boolean; afterTrial: 'pause' | 'cancel'; billingUrl: string }): RenderedEmail {
  const lines = [
    `Your ${input.productName} trial ends on ${input.endsOn}.`,
    input.hasPaymentMethod
      ? 'Your subscription then continues and we charge your saved payment method; change or cancel it on your billing page before then.'
      : `There is no payment method on file, so the subscription will be ${input.afterTrial === 'pause' ? 'paused' : 'canceled'}. Add one on your billing page to keep it.`,
  ];
  return { template: 'trial_ending', subject: `Your ${input.productName} trial ends on ${input.endsOn}`, text: `${lines.join('\n\n')}\n\n${input.billingUrl}\n`, html: layout(lines, { href: input.billingUrl, label: 'Open billing' }) };
}

/** A credit note was issued on one of the customer's invoices: refunded to them, or added to their credit. */
export function creditNoteEmail(input: { number: string; invoiceNumber: string; amount: string; settlement: 'refund' | 'credit_balance'; url: string }): RenderedEmail {
  const lines = [
    `We issued credit note ${input.number} of ${input.amount} on invoice ${input.invoiceNumber}.`,
    input.settlement === 'refund'
      ? 'The amount is refunded to the payment method you paid with; your bank may take a few days to show it.'
      : 'The amount is added to your account credit, which is used first on your next invoices.',
  ];
  return { template: 'credit_note_issued', subject: `Credit note ${input.number} for invoice ${input.invoiceNumber}`, text: `${lines.join('\n\n')}\n\n${input.url}\n`, html: layout(lines, { href: input.url, label: 'View invoice' }) };
}
