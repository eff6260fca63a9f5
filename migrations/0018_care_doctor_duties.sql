-- Issue 11.6/11.7: a duty template says whose work it is. A doctor's template (家庭医生季度上门, the monthly
-- doctor call) goes to the elder's contracted family doctor, never to a paired volunteer; without a
-- running contract the duty stays unassigned (and coverage counts it as such).
ALTER TABLE "duty_templates" ADD COLUMN "assignee_role" text DEFAULT 'carer' NOT NULL;
--> statement-breakpoint
UPDATE "duty_templates" SET "assignee_role" = 'doctor' WHERE "key" IN ('doctor_quarterly', 'doctor_monthly_call');
--> statement-breakpoint
-- the doctors' visits planned before this migration went to volunteers: to the contracted doctor, or to nobody
UPDATE "duties" d SET "assignee_id" = (
    SELECT dc."doctor_id" FROM "doctor_contracts" dc JOIN "users" u ON u."id" = dc."doctor_id"
    WHERE dc."elder_id" = d."elder_id" AND u."active" AND u."role" = 'doctor'
      AND dc."start_date" <= (now() AT TIME ZONE 'Asia/Shanghai')::date
      AND (dc."end_date" IS NULL OR dc."end_date" >= (now() AT TIME ZONE 'Asia/Shanghai')::date)
    ORDER BY dc."start_date" DESC, dc."id" DESC LIMIT 1),
  "updated_at" = now()
  FROM "duty_templates" t WHERE t."id" = d."template_id" AND t."assignee_role" = 'doctor';
--> statement-breakpoint
-- 有异常: what the concern is (required for reached_concern from now on)
ALTER TABLE "contacts" ADD COLUMN "concern" text;
--> statement-breakpoint
-- coverage: duties nobody holds (a doctor's duty without a running contract)
ALTER TABLE "coverage_rollup_duties" ADD COLUMN "unassigned" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- 健康档案 · 体征: vital signs measured on a doctor's visit, written with the contact (same transaction)
CREATE TABLE "elder_vital_signs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "elder_vital_signs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"measured_at" timestamp with time zone NOT NULL,
	"systolic" integer,
	"diastolic" integer,
	"glucose" numeric(4, 1),
	"weight" numeric(5, 1),
	"contact_id" bigint,
	"recorded_by" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "elder_vital_signs" ADD CONSTRAINT "elder_vital_signs_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "elder_vital_signs" ADD CONSTRAINT "elder_vital_signs_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "elder_vital_signs_elder_idx" ON "elder_vital_signs" USING btree ("elder_id","measured_at");
