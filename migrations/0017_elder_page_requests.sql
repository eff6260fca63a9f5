-- 长辈版 page requests the elder's browser retries (issue 16.8): the page sends a client requestId with
-- its SOS and keeps retrying it until answered; the same requestId twice is one SOS.
CREATE TABLE "elder_page_requests" (
	"elder_id" bigint NOT NULL,
	"request_id" text NOT NULL,
	"kind" text NOT NULL,
	"incident_id" bigint,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "elder_page_requests_pkey" PRIMARY KEY ("elder_id", "request_id")
);
--> statement-breakpoint
ALTER TABLE "elder_page_requests" ADD CONSTRAINT "elder_page_requests_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."elders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_page_requests" ADD CONSTRAINT "elder_page_requests_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
-- 长辈版 links derived from a key (decision 0010): token = HMAC(key, elder id + nonce), so the link can
-- be shown again; links made before this have no nonce and cannot be.
ALTER TABLE "elder_links" ADD COLUMN "nonce" text;--> statement-breakpoint
CREATE TABLE "elder_link_keys" (
	"id" integer PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
