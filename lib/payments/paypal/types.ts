/** The parts of PayPal's REST resources that the app reads. */
export interface PaypalMoney {
  currency_code: string;
  value: string;
}

export interface PaypalLink {
  href: string;
  rel: string;
  method?: string;
}

export interface PaypalCapture {
  id: string;
  status: string;
  amount: PaypalMoney;
  status_details?: { reason?: string };
  supplementary_data?: { related_ids?: { order_id?: string } };
  links?: PaypalLink[];
}

export interface PaypalRefund {
  id: string;
  status: string;
  amount: PaypalMoney;
  status_details?: { reason?: string };
  note_to_payer?: string;
  links?: PaypalLink[];
}

export interface PaypalDispute {
  dispute_id: string;
  status: string;
  reason?: string;
  dispute_amount: PaypalMoney;
  disputed_transactions?: Array<{ seller_transaction_id?: string }>;
  dispute_outcome?: { outcome_code?: string };
  seller_response_due_date?: string;
}

export interface PaypalWebhookEvent {
  id: string;
  event_type: string;
  resource: { id?: string; dispute_id?: string } & Record<string, unknown>;
}

/** The capture a refund belongs to, from its `up` link. */
export function captureIdOfRefund(refund: PaypalRefund): string | null {
  const up = refund.links?.find((l) => l.rel === 'up')?.href;
  return up ? (/\/captures\/([^/?]+)/.exec(up)?.[1] ?? null) : null;
}
