CREATE TYPE "public"."checkout_surface" AS ENUM('elements', 'hosted');--> statement-breakpoint
CREATE TYPE "public"."tax_type" AS ENUM('vat', 'gst', 'hst', 'sales_tax');--> statement-breakpoint
CREATE TABLE "tax_rates" (
	"id" text PRIMARY KEY NOT NULL,
	"country" char(2) NOT NULL,
	"region" text,
	"type" "tax_type" NOT NULL,
	"jurisdiction" text NOT NULL,
	"percentage" numeric(7, 4) NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	CONSTRAINT "tax_rates_percentage_range" CHECK ("tax_rates"."percentage" >= 0 AND "tax_rates"."percentage" <= 100)
);
--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "surface" "checkout_surface" DEFAULT 'elements' NOT NULL;--> statement-breakpoint
CREATE INDEX "tax_rates_place_idx" ON "tax_rates" USING btree ("country","region","type","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_current_product_idx" ON "subscriptions" USING btree ("customer_id","product_id") WHERE "subscriptions"."status" IN ('trialing', 'active', 'past_due', 'paused');