CREATE TABLE "ability_assessments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ability_assessments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"standard" text DEFAULT 'GB/T 42195-2022' NOT NULL,
	"assessed_on" date NOT NULL,
	"reason" text NOT NULL,
	"items" jsonb NOT NULL,
	"factors" jsonb NOT NULL,
	"assessor1" text NOT NULL,
	"assessor2" text NOT NULL,
	"total" integer NOT NULL,
	"dimensions" jsonb NOT NULL,
	"base_level" integer NOT NULL,
	"level" integer NOT NULL,
	"adjusted" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "circle_contacts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "circle_contacts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"relation" text,
	"phones" text[] DEFAULT '{}'::text[] NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"lives_nearby" boolean DEFAULT false NOT NULL,
	"user_id" bigint,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "doctor_contracts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "doctor_contracts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"doctor_id" bigint NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elder_conditions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "elder_conditions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"name" text NOT NULL,
	"diagnosed_on" date,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elder_health" (
	"elder_id" bigint PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"green_card_no" text,
	"green_card_hospital" text,
	"green_card_issued_on" date,
	"sick_bed_provider" text,
	"sick_bed_from" date,
	"sick_bed_until" date,
	"sick_bed_note" text,
	"medication_notes" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elder_medications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "elder_medications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"name" text NOT NULL,
	"dosage" text,
	"schedule" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "elders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"affiliation_id" bigint,
	"affiliation_path" text,
	"name" text NOT NULL,
	"name_pinyin" text NOT NULL,
	"name_initials" text NOT NULL,
	"gender" text NOT NULL,
	"id_number" text NOT NULL,
	"birth_date" date NOT NULL,
	"phones" text[] DEFAULT '{}'::text[] NOT NULL,
	"search_tails" text[] DEFAULT '{}'::text[] NOT NULL,
	"address" text,
	"building" text,
	"unit" text,
	"room" text,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"living_situation" text,
	"difficulty_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"hearing_impaired" boolean DEFAULT false NOT NULL,
	"vision_impaired" boolean DEFAULT false NOT NULL,
	"mobility_impaired" boolean DEFAULT false NOT NULL,
	"cognition_impaired" boolean DEFAULT false NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"photo_url" text,
	"status" text DEFAULT 'active' NOT NULL,
	"status_since" date,
	"status_reason" text,
	"survivor_of" bigint,
	"ability_level" integer,
	"ability_assessed_on" date,
	"agreement_signed_at" date,
	"note" text,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hospital_stays" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hospital_stays_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"hospital" text NOT NULL,
	"ward" text,
	"reason" text,
	"admitted_on" date NOT NULL,
	"discharged_on" date,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ability_assessments" ADD CONSTRAINT "ability_assessments_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circle_contacts" ADD CONSTRAINT "circle_contacts_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circle_contacts" ADD CONSTRAINT "circle_contacts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctor_contracts" ADD CONSTRAINT "doctor_contracts_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctor_contracts" ADD CONSTRAINT "doctor_contracts_doctor_id_users_id_fk" FOREIGN KEY ("doctor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_conditions" ADD CONSTRAINT "elder_conditions_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_health" ADD CONSTRAINT "elder_health_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_medications" ADD CONSTRAINT "elder_medications_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elders" ADD CONSTRAINT "elders_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elders" ADD CONSTRAINT "elders_affiliation_id_orgs_id_fk" FOREIGN KEY ("affiliation_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hospital_stays" ADD CONSTRAINT "hospital_stays_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ability_assessments_elder_idx" ON "ability_assessments" USING btree ("elder_id","assessed_on","id");--> statement-breakpoint
CREATE INDEX "circle_contacts_elder_priority_idx" ON "circle_contacts" USING btree ("elder_id","priority","id");--> statement-breakpoint
CREATE INDEX "circle_contacts_user_kind_idx" ON "circle_contacts" USING btree ("user_id","kind") WHERE "circle_contacts"."user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "circle_contacts_kind_elder_idx" ON "circle_contacts" USING btree ("kind","elder_id");--> statement-breakpoint
CREATE INDEX "doctor_contracts_elder_idx" ON "doctor_contracts" USING btree ("elder_id","start_date");--> statement-breakpoint
CREATE INDEX "doctor_contracts_doctor_idx" ON "doctor_contracts" USING btree ("doctor_id","elder_id");--> statement-breakpoint
CREATE INDEX "elder_conditions_elder_idx" ON "elder_conditions" USING btree ("elder_id");--> statement-breakpoint
CREATE INDEX "elder_medications_elder_idx" ON "elder_medications" USING btree ("elder_id");--> statement-breakpoint
CREATE UNIQUE INDEX "elders_id_number_key" ON "elders" USING btree ("id_number");--> statement-breakpoint
CREATE INDEX "elders_org_path_prefix_idx" ON "elders" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "elders_affiliation_path_prefix_idx" ON "elders" USING btree ("affiliation_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "elders_name_prefix_idx" ON "elders" USING btree ("name" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "elders_pinyin_prefix_idx" ON "elders" USING btree ("name_pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "elders_initials_prefix_idx" ON "elders" USING btree ("name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "elders_search_tails_idx" ON "elders" USING gin ("search_tails");--> statement-breakpoint
CREATE INDEX "elders_categories_idx" ON "elders" USING gin ("categories");--> statement-breakpoint
CREATE INDEX "elders_difficulty_groups_idx" ON "elders" USING gin ("difficulty_groups");--> statement-breakpoint
CREATE INDEX "elders_tags_idx" ON "elders" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "elders_status_idx" ON "elders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "elders_living_situation_idx" ON "elders" USING btree ("living_situation");--> statement-breakpoint
CREATE INDEX "elders_ability_level_idx" ON "elders" USING btree ("ability_level");--> statement-breakpoint
CREATE INDEX "elders_birth_date_idx" ON "elders" USING btree ("birth_date","id");--> statement-breakpoint
CREATE INDEX "elders_name_sort_idx" ON "elders" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "elders_updated_sort_idx" ON "elders" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "elders_org_id_idx" ON "elders" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "elders_survivor_of_idx" ON "elders" USING btree ("survivor_of");--> statement-breakpoint
CREATE INDEX "hospital_stays_elder_idx" ON "hospital_stays" USING btree ("elder_id","admitted_on");--> statement-breakpoint
CREATE UNIQUE INDEX "hospital_stays_one_open_key" ON "hospital_stays" USING btree ("elder_id") WHERE "hospital_stays"."discharged_on" IS NULL;--> statement-breakpoint
-- hand-added: a survivor (遗属) points at the deceased elder; and the closed vocabularies as checks
ALTER TABLE "elders" ADD CONSTRAINT "elders_survivor_of_elders_id_fk" FOREIGN KEY ("survivor_of") REFERENCES "public"."elders"("id") ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE "elders" ADD CONSTRAINT "elders_gender_check" CHECK ("gender" IN ('M', 'F'));--> statement-breakpoint
ALTER TABLE "elders" ADD CONSTRAINT "elders_status_check" CHECK ("status" IN ('active', 'hospitalised', 'moved_away', 'deceased'));--> statement-breakpoint
ALTER TABLE "circle_contacts" ADD CONSTRAINT "circle_contacts_kind_check" CHECK ("kind" IN ('relative', 'unit_contact', 'community_worker', 'family_doctor', 'neighbour_volunteer', 'carer'));--> statement-breakpoint
ALTER TABLE "ability_assessments" ADD CONSTRAINT "ability_assessments_level_check" CHECK ("level" BETWEEN 0 AND 4 AND "base_level" BETWEEN 0 AND 4);
