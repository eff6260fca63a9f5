CREATE TABLE "elder_checkins" (
	"elder_id" bigint NOT NULL,
	"on_date" text NOT NULL,
	"org_path" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elder_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incident_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"actor_id" bigint,
	"actor_label" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incidents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"kind" text NOT NULL,
	"ladder_kind" text NOT NULL,
	"severity" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"step_index" integer DEFAULT 0 NOT NULL,
	"step_attempt" integer DEFAULT 0 NOT NULL,
	"next_step_at" timestamp with time zone,
	"last_step_at" timestamp with time zone,
	"triggered_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"resolved_at" timestamp with time zone,
	"triggers" integer DEFAULT 1 NOT NULL,
	"source" jsonb,
	"summary" text,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ladders" (
	"kind" text PRIMARY KEY NOT NULL,
	"steps" jsonb NOT NULL,
	"throttle_seconds" integer DEFAULT 60 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" bigint
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" bigint,
	"org_path" text NOT NULL,
	"step_index" integer DEFAULT 0 NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"whom" text NOT NULL,
	"recipient_label" text NOT NULL,
	"recipient_user_id" bigint,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"retry_at" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"ack_token_hash" text,
	"acked_at" timestamp with time zone,
	"ack_reply" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "device_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"device_id" text NOT NULL,
	"event_id" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"incident_id" bigint
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"elder_id" bigint NOT NULL,
	"org_path" text NOT NULL,
	"kind" text NOT NULL,
	"label" text,
	"secret" text NOT NULL,
	"heartbeat_period_seconds" integer DEFAULT 3600 NOT NULL,
	"last_seen_at" timestamp with time zone,
	"silent_due_at" timestamp with time zone,
	"battery_low_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "elder_checkins" ADD CONSTRAINT "elder_checkins_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_links" ADD CONSTRAINT "elder_links_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_events" ADD CONSTRAINT "device_events_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_events" ADD CONSTRAINT "device_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "elder_checkins_elder_date_key" ON "elder_checkins" USING btree ("elder_id","on_date");--> statement-breakpoint
CREATE UNIQUE INDEX "elder_links_one_active_key" ON "elder_links" USING btree ("elder_id") WHERE "elder_links"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "incident_events_incident_at_idx" ON "incident_events" USING btree ("incident_id","at","id");--> statement-breakpoint
CREATE INDEX "incidents_next_step_due_idx" ON "incidents" USING btree ("next_step_at") WHERE "incidents"."state" = 'open' AND "incidents"."next_step_at" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_one_active_per_elder_key" ON "incidents" USING btree ("elder_id") WHERE "incidents"."state" IN ('open', 'acknowledged', 'responder_en_route', 'on_scene');--> statement-breakpoint
CREATE INDEX "incidents_org_path_prefix_idx" ON "incidents" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "incidents_elder_triggered_idx" ON "incidents" USING btree ("elder_id","triggered_at");--> statement-breakpoint
CREATE INDEX "incidents_state_triggered_idx" ON "incidents" USING btree ("state","triggered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_step_recipient_key" ON "notifications" USING btree ("incident_id","step_index","attempt","channel","address");--> statement-breakpoint
CREATE INDEX "notifications_retry_due_idx" ON "notifications" USING btree ("retry_at") WHERE "notifications"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "notifications_address_recent_idx" ON "notifications" USING btree ("channel","address","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_ack_token_key" ON "notifications" USING btree ("ack_token_hash") WHERE "notifications"."ack_token_hash" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "notifications_incident_idx" ON "notifications" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "device_events_device_event_key" ON "device_events" USING btree ("device_id","event_id");--> statement-breakpoint
CREATE INDEX "devices_elder_idx" ON "devices" USING btree ("elder_id");--> statement-breakpoint
CREATE INDEX "devices_silent_due_idx" ON "devices" USING btree ("silent_due_at") WHERE "devices"."active" AND "devices"."silent_due_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "devices_org_path_prefix_idx" ON "devices" USING btree ("org_path" text_pattern_ops);