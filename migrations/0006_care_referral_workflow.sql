-- 需求转介 workflow: handler, acceptance and resolution on care_referrals; the list index leads with status.
DROP INDEX "care_referrals_open_idx";--> statement-breakpoint
ALTER TABLE "care_referrals" ADD COLUMN "handler_id" bigint;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD COLUMN "accepted_by" bigint;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD COLUMN "resolved_by" bigint;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD COLUMN "resolution" text;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD CONSTRAINT "care_referrals_handler_id_users_id_fk" FOREIGN KEY ("handler_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD CONSTRAINT "care_referrals_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD CONSTRAINT "care_referrals_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_referrals_status_path_idx" ON "care_referrals" USING btree ("status","org_path" text_pattern_ops,"created_at");--> statement-breakpoint
CREATE INDEX "care_referrals_elder_idx" ON "care_referrals" USING btree ("elder_id","created_at");--> statement-breakpoint
-- referrals raised before this migration were last changed when raised
UPDATE "care_referrals" SET "updated_at" = "created_at";
