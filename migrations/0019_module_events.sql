-- Cross-module events (decision 0016): written in the same transaction as the change that causes them,
-- handed to the topic's handler by the sweeper (FOR UPDATE SKIP LOCKED), retried with backoff until the
-- handler succeeds; done_at is set in the handler's own transaction, so a handled event never runs twice.
CREATE TABLE "module_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
-- the sweeper's claim: pending events by due time (done ones drop out of the index)
CREATE INDEX "module_events_due_idx" ON "module_events" USING btree ("due_at", "id") WHERE "done_at" IS NULL;
