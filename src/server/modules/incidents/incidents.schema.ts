import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { elders } from '../elders/elders.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One emergency or silence about one elder. The ladder's position and timer live on the row
 * (`step_index`, `step_attempt`, `next_step_at`): the sweeper claims due rows with SKIP LOCKED, so a
 * restart resumes at the right step and two processes never fire one step twice.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id),
    orgPath: text('org_path').notNull(),
    kind: text('kind').notNull(),
    /** the ladder being run: the kind's, or a more severe joined trigger's */
    ladderKind: text('ladder_kind').notNull(),
    severity: text('severity').notNull(),
    state: text('state').notNull().default('open'),
    outcome: text('outcome'),
    stepIndex: integer('step_index').notNull().default(0),
    stepAttempt: integer('step_attempt').notNull().default(0),
    nextStepAt: ts('next_step_at'),
    lastStepAt: ts('last_step_at'),
    triggeredAt: ts('triggered_at').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
    /** who took responsibility (负责人): a staff action or a relative's "我去看看" — it stops the ladder */
    acknowledgedBy: text('acknowledged_by'),
    /** who only said "收到 — 我已知道" (已知晓): recorded, the ladder goes on (decision 0008) */
    knownBy: text('known_by').array().notNull().default(sql`'{}'::text[]`),
    resolvedAt: ts('resolved_at'),
    /** 回访跟进: when the follow-up call or visit is due, and when it was recorded done */
    followUpDueAt: ts('follow_up_due_at'),
    followedUpAt: ts('followed_up_at'),
    /** how many triggers joined this incident (1 = only the first) */
    triggers: integer('triggers').notNull().default(1),
    source: jsonb('source'),
    summary: text('summary'),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // the sweeper's claim: due timers of unacknowledged incidents only
    index('incidents_next_step_due_idx')
      .on(t.nextStepAt)
      .where(sql`${t.state} = 'open' AND ${t.nextStepAt} IS NOT NULL`),
    // duplicate triggers join: at most one active incident per elder, also under concurrency
    uniqueIndex('incidents_one_active_per_elder_key')
      .on(t.elderId)
      .where(sql`${t.state} IN ('open', 'acknowledged', 'responder_en_route', 'on_scene')`),
    index('incidents_org_path_prefix_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('incidents_elder_triggered_idx').on(t.elderId, t.triggeredAt),
    index('incidents_state_triggered_idx').on(t.state, t.triggeredAt),
    // the history: newest first, by time range (scope and filters narrow it)
    index('incidents_history_idx').on(t.triggeredAt, t.id),
    // the follow-up queue: open follow-ups by due time
    index('incidents_follow_up_due_idx')
      .on(t.followUpDueAt)
      .where(sql`${t.state} = 'follow_up' AND ${t.followedUpAt} IS NULL`),
  ],
);

/** The timeline: every event of an incident with actor and time. Append-only. */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: bigint('incident_id', { mode: 'number' })
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    at: ts('at').notNull(),
    type: text('type').notNull(),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorLabel: text('actor_label'),
    details: jsonb('details'),
  },
  (t) => [index('incident_events_incident_at_idx').on(t.incidentId, t.at, t.id)],
);

/** Escalation policy per incident kind; kinds without a row use the shipped default. */
export const ladders = pgTable('ladders', {
  kind: text('kind').primaryKey(),
  steps: jsonb('steps').notNull(),
  throttleSeconds: integer('throttle_seconds').notNull().default(60),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: bigint('updated_by', { mode: 'number' }),
});

/** 长辈版: the personal link of an elder's page (the token is the credential; its hash is stored). */
export const elderLinks = pgTable(
  'elder_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    /** with the link key, derives the token again (decision 0010); null for links made before */
    nonce: text('nonce'),
  },
  (t) => [uniqueIndex('elder_links_one_active_key').on(t.elderId).where(sql`${t.revokedAt} IS NULL`)],
);

/** The key 长辈版 tokens are derived from when ELDER_LINK_KEY is not set (one row, id 1). */
export const elderLinkKeys = pgTable('elder_link_keys', {
  id: integer('id').primaryKey(),
  key: text('key').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * Requests the elder page retries until answered (its SOS): the page's own requestId, once per elder,
 * with what it produced, so a retry after a lost answer gets the same answer and no second trigger.
 */
export const elderPageRequests = pgTable(
  'elder_page_requests',
  {
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    requestId: text('request_id').notNull(),
    kind: text('kind').notNull(),
    incidentId: bigint('incident_id', { mode: 'number' }).references(() => incidents.id, {
      onDelete: 'set null',
    }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'elder_page_requests_pkey', columns: [t.elderId, t.requestId] })],
);

/** "我很好" taps from the elder page, one per elder and Shanghai day (the care module may count them too). */
export const elderCheckins = pgTable(
  'elder_checkins',
  {
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    onDate: text('on_date').notNull(),
    orgPath: text('org_path').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [uniqueIndex('elder_checkins_elder_date_key').on(t.elderId, t.onDate)],
);
