-- The outbox gets a generic subject (decision 0017): what a message is about — an incident, a work
-- order, a campaign, a subsidy application — as (subject_kind, subject_id), so every module messages
-- people through the same outbox, throttle and retries without the notifications module knowing it.
-- incident_id stays, now only for the incident kind (a CHECK ties it to the subject), so an incident's
-- messages still go with it (its foreign key ON DELETE CASCADE is unchanged).
ALTER TABLE "notifications" ADD COLUMN "subject_kind" text;
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "subject_id" bigint;
--> statement-breakpoint
-- every row written so far is a ladder step of an incident; a row without one (none is ever written)
-- is kept under a kind of its own rather than deleted
UPDATE "notifications" SET
	"subject_kind" = CASE WHEN "incident_id" IS NULL THEN 'unknown' ELSE 'incident' END,
	"subject_id" = COALESCE("incident_id", 0);
--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "subject_kind" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "subject_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_incident_subject_check"
	CHECK ("incident_id" IS NOT DISTINCT FROM CASE WHEN "subject_kind" = 'incident' THEN "subject_id" END);
--> statement-breakpoint
-- a step fired twice still collides, now per subject; the key's prefix also serves the reads by subject
-- (an incident's messages, cancelling its pending ones, "notified as"), so no index is added on balance
DROP INDEX "notifications_step_recipient_key";
--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_subject_step_recipient_key" ON "notifications" USING btree ("subject_kind","subject_id","step_index","attempt","channel","address");
