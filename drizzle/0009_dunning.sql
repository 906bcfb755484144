ALTER TABLE "invoices" ADD COLUMN "first_failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "next_payment_attempt_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "invoices_next_attempt_idx" ON "invoices" USING btree ("next_payment_attempt_at") WHERE "invoices"."next_payment_attempt_at" IS NOT NULL;