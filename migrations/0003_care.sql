CREATE TABLE "care_alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "care_alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"duty_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"kind" text NOT NULL,
	"day" date NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"details" jsonb,
	"acknowledged_by" bigint,
	"acknowledged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "care_referrals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "care_referrals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"contact_id" bigint NOT NULL,
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"need" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "carer_leaves" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "carer_leaves_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"carer_id" bigint NOT NULL,
	"substitute_id" bigint NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"reason" text,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "carer_pairings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "carer_pairings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"carer_id" bigint NOT NULL,
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "contacts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"idempotency_key" text NOT NULL,
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"duty_id" bigint,
	"carer_id" bigint NOT NULL,
	"contacted_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"outcome" text NOT NULL,
	"checks" jsonb,
	"eight_points" jsonb,
	"needs" text[] DEFAULT '{}'::text[] NOT NULL,
	"duration_min" integer,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duties" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "duties_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"template_id" bigint NOT NULL,
	"template_version" integer NOT NULL,
	"org_path" text NOT NULL,
	"assignee_id" bigint,
	"window_start" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"last_done_at" timestamp with time zone,
	"last_outcome" text,
	"last_contact_id" bigint,
	"not_reached_count" integer DEFAULT 0 NOT NULL,
	"first_not_reached_at" timestamp with time zone,
	"deadline_time" text DEFAULT '20:00' NOT NULL,
	"silence_check_at" timestamp with time zone,
	"paused_until" timestamp with time zone,
	"pause_reason" text,
	"active" boolean DEFAULT true NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_templates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "duty_templates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"name" text NOT NULL,
	"cadence" jsonb NOT NULL,
	"channel" text NOT NULL,
	"watch_silence" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_templates_key_key" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "holiday_overrides" (
	"holiday" text NOT NULL,
	"year" integer NOT NULL,
	"date" date NOT NULL,
	CONSTRAINT "holiday_overrides_holiday_year_pk" PRIMARY KEY("holiday","year")
);
--> statement-breakpoint
CREATE TABLE "policy_rules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "policy_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"name" text NOT NULL,
	"template_id" bigint NOT NULL,
	"condition" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_rules_key_key" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "care_alerts" ADD CONSTRAINT "care_alerts_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_alerts" ADD CONSTRAINT "care_alerts_duty_id_duties_id_fk" FOREIGN KEY ("duty_id") REFERENCES "public"."duties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD CONSTRAINT "care_referrals_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_referrals" ADD CONSTRAINT "care_referrals_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_leaves" ADD CONSTRAINT "carer_leaves_carer_id_users_id_fk" FOREIGN KEY ("carer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_leaves" ADD CONSTRAINT "carer_leaves_substitute_id_users_id_fk" FOREIGN KEY ("substitute_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_pairings" ADD CONSTRAINT "carer_pairings_carer_id_users_id_fk" FOREIGN KEY ("carer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_pairings" ADD CONSTRAINT "carer_pairings_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_carer_id_users_id_fk" FOREIGN KEY ("carer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duties" ADD CONSTRAINT "duties_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duties" ADD CONSTRAINT "duties_template_id_duty_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."duty_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duties" ADD CONSTRAINT "duties_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_rules" ADD CONSTRAINT "policy_rules_template_id_duty_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."duty_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "care_alerts_duty_kind_day_key" ON "care_alerts" USING btree ("duty_id","kind","day");--> statement-breakpoint
CREATE INDEX "care_alerts_open_idx" ON "care_alerts" USING btree ("org_path" text_pattern_ops,"raised_at");--> statement-breakpoint
CREATE INDEX "care_referrals_open_idx" ON "care_referrals" USING btree ("org_path" text_pattern_ops,"status");--> statement-breakpoint
CREATE INDEX "carer_leaves_carer_idx" ON "carer_leaves" USING btree ("carer_id","to_date");--> statement-breakpoint
CREATE UNIQUE INDEX "carer_pairings_carer_elder_key" ON "carer_pairings" USING btree ("carer_id","elder_id");--> statement-breakpoint
CREATE INDEX "carer_pairings_elder_idx" ON "carer_pairings" USING btree ("elder_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_idempotency_key" ON "contacts" USING btree ("carer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "contacts_elder_at_idx" ON "contacts" USING btree ("elder_id","contacted_at");--> statement-breakpoint
CREATE INDEX "contacts_carer_at_idx" ON "contacts" USING btree ("carer_id","contacted_at");--> statement-breakpoint
CREATE INDEX "contacts_org_path_at_idx" ON "contacts" USING btree ("org_path" text_pattern_ops,"contacted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "duties_elder_template_key" ON "duties" USING btree ("elder_id","template_id");--> statement-breakpoint
CREATE INDEX "duties_worklist_idx" ON "duties" USING btree ("assignee_id","next_due_at") WHERE "duties"."active";--> statement-breakpoint
CREATE INDEX "duties_sweep_idx" ON "duties" USING btree ("next_due_at") WHERE "duties"."active";--> statement-breakpoint
CREATE INDEX "duties_silence_sweep_idx" ON "duties" USING btree ("silence_check_at") WHERE "duties"."active" AND "duties"."silence_check_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "duties_resume_sweep_idx" ON "duties" USING btree ("paused_until") WHERE "duties"."active" AND "duties"."paused_until" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "duties_org_path_prefix_idx" ON "duties" USING btree ("org_path" text_pattern_ops,"next_due_at");--> statement-breakpoint
CREATE INDEX "policy_rules_template_idx" ON "policy_rules" USING btree ("template_id");--> statement-breakpoint
-- The contact ledger (台账) is append-only: a correction is a new record, never an edit.
CREATE OR REPLACE FUNCTION contacts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'contacts is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER contacts_no_update BEFORE UPDATE OR DELETE ON contacts
  FOR EACH ROW EXECUTE FUNCTION contacts_append_only();
--> statement-breakpoint
-- Birthdays for set-based planning: 29 February falls on 28 February in common years (shared/cadence.ts).
CREATE OR REPLACE FUNCTION care_birthday_in(birth date, yr int) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT make_date(yr, extract(month FROM birth)::int,
    least(extract(day FROM birth)::int,
      extract(day FROM (make_date(yr, extract(month FROM birth)::int, 1) + interval '1 month - 1 day'))::int))
$$;
--> statement-breakpoint
-- Midnight in Asia/Shanghai (UTC+8, no daylight saving since 1991) of a calendar date.
CREATE OR REPLACE FUNCTION care_shanghai_midnight(d date) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT (d::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
$$;
