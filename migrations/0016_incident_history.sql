-- Resolved incidents stay findable (issue 11.3): the history reads incidents by time, newest first, in
-- the caller's scope, and the follow-up queue (回访跟进) by its due time. `follow_up_due_at` is set when
-- an incident moves to 回访跟进; `followed_up_at` when the follow-up call or visit is recorded done.
ALTER TABLE "incidents" ADD COLUMN "follow_up_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "followed_up_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "incidents_history_idx" ON "incidents" USING btree ("triggered_at","id");--> statement-breakpoint
CREATE INDEX "incidents_follow_up_due_idx" ON "incidents" USING btree ("follow_up_due_at") WHERE "incidents"."state" = 'follow_up' AND "incidents"."followed_up_at" IS NULL;
