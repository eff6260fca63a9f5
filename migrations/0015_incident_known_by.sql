-- Who has said "收到 — 我已知道" about an incident without taking it on (decision 0008). Knowing never
-- stops the ladder; the one who takes responsibility is `acknowledged_by` (shown as 负责人).
ALTER TABLE "incidents" ADD COLUMN "known_by" text[] DEFAULT '{}'::text[] NOT NULL;
