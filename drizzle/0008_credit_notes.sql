CREATE TYPE "public"."credit_note_reason" AS ENUM('duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory');--> statement-breakpoint
CREATE TYPE "public"."credit_note_settlement" AS ENUM('refund', 'credit_balance');--> statement-breakpoint
CREATE TYPE "public"."credit_note_status" AS ENUM('issued', 'void');--> statement-breakpoint
ALTER TYPE "public"."balance_transaction_type" ADD VALUE 'credit_note';--> statement-breakpoint
ALTER TYPE "public"."balance_transaction_type" ADD VALUE 'invoice_voided';--> statement-breakpoint
CREATE TABLE "credit_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"invoice_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"amount" bigint NOT NULL,
	"reason" "credit_note_reason",
	"settlement" "credit_note_settlement" NOT NULL,
	"refund_id" uuid,
	"balance_transaction_id" uuid,
	"status" "credit_note_status" DEFAULT 'issued' NOT NULL,
	"memo" text,
	"idempotency_key" text NOT NULL,
	"voided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_notes_number_unique" UNIQUE("number"),
	CONSTRAINT "credit_notes_refund_id_unique" UNIQUE("refund_id"),
	CONSTRAINT "credit_notes_balance_transaction_id_unique" UNIQUE("balance_transaction_id"),
	CONSTRAINT "credit_notes_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "credit_notes_amount_positive" CHECK ("credit_notes"."amount" > 0),
	CONSTRAINT "credit_notes_settled_one_way" CHECK (("credit_notes"."settlement" = 'refund' AND "credit_notes"."refund_id" IS NOT NULL AND "credit_notes"."balance_transaction_id" IS NULL) OR ("credit_notes"."settlement" = 'credit_balance' AND "credit_notes"."balance_transaction_id" IS NOT NULL AND "credit_notes"."refund_id" IS NULL)),
	CONSTRAINT "credit_notes_voided_at_when_void" CHECK (("credit_notes"."status" = 'void') = ("credit_notes"."voided_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "invoice_refund_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"invoice_id" uuid NOT NULL,
	"refund_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_refund_requests_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "invoice_refund_requests_amount_positive" CHECK ("invoice_refund_requests"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_balance_transaction_id_customer_balance_transactions_id_fk" FOREIGN KEY ("balance_transaction_id") REFERENCES "public"."customer_balance_transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_refund_requests" ADD CONSTRAINT "invoice_refund_requests_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_refund_requests" ADD CONSTRAINT "invoice_refund_requests_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_notes_invoice_idx" ON "credit_notes" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "credit_notes_customer_idx" ON "credit_notes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "invoice_refund_requests_invoice_idx" ON "invoice_refund_requests" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoices_payment_idx" ON "invoices" USING btree ("payment_id");