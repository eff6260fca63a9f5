-- 服务工单, first slice (issue 18.1–2): the service catalogue (city-wide configuration, decision 0013) and
-- the register of providers and volunteer teams with what they serve, where, and who works for them.
-- Limits are stored in minutes (the register's hours include 0.25 for 助急), prices in fen (null: 免费).
CREATE TABLE "service_categories" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "service_categories_name_key" ON "service_categories" USING btree ("name");
--> statement-breakpoint
CREATE TABLE "service_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY NOT NULL,
	"category_id" bigint NOT NULL REFERENCES "service_categories"("id"),
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"price_fen" integer CHECK ("price_fen" IS NULL OR "price_fen" >= 0),
	"accept_minutes" integer NOT NULL CHECK ("accept_minutes" > 0),
	"arrive_minutes" integer NOT NULL CHECK ("arrive_minutes" > 0),
	"complete_minutes" integer NOT NULL CHECK ("complete_minutes" > 0),
	"follow_up_days" integer NOT NULL CHECK ("follow_up_days" >= 0),
	"working_days" boolean DEFAULT false NOT NULL,
	"provider_kinds" text[] NOT NULL,
	"card_payable" boolean DEFAULT false NOT NULL,
	"note" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "service_items_name_key" ON "service_items" USING btree ("name");
--> statement-breakpoint
CREATE INDEX "service_items_category_idx" ON "service_items" USING btree ("category_id", "sort_order");
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"uscc" text,
	"contact_name" text,
	"contact_phone" text,
	"contract_start" date,
	"contract_end" date,
	"status" text DEFAULT 'active' NOT NULL,
	"capacity" integer DEFAULT 10 NOT NULL CHECK ("capacity" >= 0),
	"stars" integer CHECK ("stars" BETWEEN 1 AND 5),
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "providers_uscc_key" ON "providers" USING btree ("uscc");
--> statement-breakpoint
CREATE UNIQUE INDEX "providers_name_key" ON "providers" USING btree ("name");
--> statement-breakpoint
CREATE TABLE "provider_items" (
	"provider_id" bigint NOT NULL REFERENCES "providers"("id") ON DELETE CASCADE,
	"category_id" bigint NOT NULL REFERENCES "service_categories"("id"),
	"item_id" bigint REFERENCES "service_items"("id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "provider_items_key" ON "provider_items" USING btree ("provider_id", "category_id", coalesce("item_id", 0));
--> statement-breakpoint
-- 派单: who serves this item (or its whole category)
CREATE INDEX "provider_items_category_idx" ON "provider_items" USING btree ("category_id", "item_id");
--> statement-breakpoint
CREATE TABLE "provider_areas" (
	"provider_id" bigint NOT NULL REFERENCES "providers"("id") ON DELETE CASCADE,
	"org_id" bigint NOT NULL REFERENCES "orgs"("id"),
	"org_path" text NOT NULL,
	CONSTRAINT "provider_areas_provider_id_org_id_pk" PRIMARY KEY("provider_id", "org_id")
);
--> statement-breakpoint
-- the scope rule and 就近: areas under a node are one prefix match
CREATE INDEX "provider_areas_path_idx" ON "provider_areas" USING btree ("org_path" text_pattern_ops);
--> statement-breakpoint
CREATE TABLE "provider_staff" (
	"provider_id" bigint NOT NULL REFERENCES "providers"("id") ON DELETE CASCADE,
	"user_id" bigint NOT NULL REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_staff_provider_id_user_id_pk" PRIMARY KEY("provider_id", "user_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "provider_staff_user_key" ON "provider_staff" USING btree ("user_id");
