CREATE TABLE "silence_checks" (
	"day" date NOT NULL,
	"deadline_time" text NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "silence_checks_day_deadline_time_pk" PRIMARY KEY("day","deadline_time")
);
--> statement-breakpoint
DROP INDEX "duties_silence_sweep_idx";--> statement-breakpoint
CREATE INDEX "duties_silence_group_idx" ON "duties" USING btree ("deadline_time","silence_check_at") WHERE "duties"."active" AND "duties"."silence_check_at" IS NOT NULL;