-- 关爱 coverage rollup (decision 0006): the dashboard's figures per org node (every level), per node and template,
-- per node and carer, and when they were computed; refreshed by the care.coverage sweep job.
CREATE TABLE "coverage_rollup_carers" (
	"org_id" bigint NOT NULL,
	"assignee_id" bigint NOT NULL,
	"duties" integer NOT NULL,
	"on_time" integer NOT NULL,
	CONSTRAINT "coverage_rollup_carers_org_id_assignee_id_pk" PRIMARY KEY("org_id","assignee_id")
);
--> statement-breakpoint
CREATE TABLE "coverage_rollup_duties" (
	"org_id" bigint NOT NULL,
	"template_id" bigint NOT NULL,
	"duties" integer NOT NULL,
	"on_time" integer NOT NULL,
	CONSTRAINT "coverage_rollup_duties_org_id_template_id_pk" PRIMARY KEY("org_id","template_id")
);
--> statement-breakpoint
CREATE TABLE "coverage_rollup_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"took_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coverage_rollups" (
	"org_id" bigint PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"special_total" integer NOT NULL,
	"visited_7d" integer NOT NULL,
	"visited_30d" integer NOT NULL,
	"visited_90d" integer NOT NULL,
	"duties" integer NOT NULL,
	"on_time" integer NOT NULL,
	"carers" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "coverage_rollup_carers_worst_idx" ON "coverage_rollup_carers" USING btree ("org_id",("on_time"::float8 / "duties"),"duties" DESC NULLS LAST,"assignee_id");
