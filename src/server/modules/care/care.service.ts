import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type Cadence,
  type Condition,
  cadenceSchema,
  type createRuleBody,
  type dutiesQuery,
  type HolidayOverrides,
  type holidayOverrideBody,
  type LunarHoliday,
  lunarHolidays,
  type updateRuleBody,
  type updateTemplateBody,
} from '../../../shared/care.ts';
import { hasAccess, requireAccess } from '../../platform/access.ts';
import { AppError, notFound } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { type Clock, shanghaiDate } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import { type Db, type Executor, withTx } from '../../platform/db.ts';
import { inScope } from '../../platform/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { matchCondition } from '../elders/elders.match.ts';
import { getOrgAsSystem } from '../orgs/orgs.service.ts';
import { isElderDependent, lunarHolidayDate, nextDue } from './cadence.ts';
import * as repo from './care.repo.ts';
import type { DutyRow } from './duties.repo.ts';
import * as duties from './duties.repo.ts';
import { idArray, planTemplate } from './plan.repo.ts';
import { emitPlanChanged } from './plan-changed.ts';
import { defaultRules, defaultTemplates } from './policy-rules.ts';

export { SILENCE_ALERT_TOPIC, type SilenceAlert, type SilenceAlertEvent } from './alerts.ts';
/** the care network's bulk path for generators (demo, seeds, benchmarks) */
export { insertContactsFrom, insertPairingsFrom, settleDutiesFromContacts } from './care.bulk.ts';
export { emitPlanChanged, PLAN_CHANGED_TOPIC, type PlanChangedEvent } from './plan-changed.ts';

export interface Deps {
  db: Db;
  clock: Clock;
  /** the app's configuration (absent in jobs and scripts that never record contacts) */
  config?: Pick<Config, 'contactBackdateDays'>;
}

/** The default policy is seeded on first use, so an empty database plans straight away. */
export async function ensurePolicy(ex: Executor): Promise<void> {
  if ((await repo.countTemplates(ex)) > 0) return;
  await repo.seedPolicy(ex, defaultTemplates, defaultRules);
}

async function overridesOf(ex: Executor): Promise<HolidayOverrides> {
  const o: HolidayOverrides = {};
  for (const r of await repo.listHolidayOverrides(ex)) {
    const h = r.holiday as LunarHoliday;
    o[h] = { ...(o[h] ?? {}), [r.year]: r.date };
  }
  return o;
}

/**
 * Re-plans duties set-based: one statement per template (all templates, or those named), over all
 * elders or the ones named. Existing windows are kept unless the template's cadence changed.
 */
export async function replan(
  ex: Executor,
  now: Date,
  opts: { templateIds?: number[]; elderIds?: number[] } = {},
): Promise<{ upserted: number; closed: number }> {
  await ensurePolicy(ex);
  const today = shanghaiDate(now);
  // one after another: `ex` may be a transaction, one connection
  const templates = await repo.listTemplates(ex);
  const rules = await repo.listRules(ex);
  const overrides = await overridesOf(ex);
  const total = { upserted: 0, closed: 0 };
  if (opts.elderIds && opts.elderIds.length === 0) return total;
  for (const t of templates) {
    if (opts.templateIds && !opts.templateIds.includes(t.id)) continue;
    const mine = rules.filter((r) => r.active && r.templateId === t.id);
    const predicate: SQL =
      t.active && mine.length > 0
        ? sql`(${sql.join(
            mine.map((r) => matchCondition(r.condition as Condition, today)),
            sql` OR `,
          )})`
        : sql`false`;
    const cadence = cadenceSchema.parse(t.cadence) as Cadence;
    const p1 = isElderDependent(cadence) ? null : nextDue(cadence, { after: now, overrides });
    const p2 = p1 ? nextDue(cadence, { after: p1.windowEnd, overrides }) : null;
    const r = await planTemplate(ex, {
      templateId: t.id,
      version: t.version,
      cadence,
      watchSilence: t.watchSilence,
      predicate,
      now,
      today,
      p1,
      p2,
      elderIds: opts.elderIds,
      assigneeRole: t.assigneeRole === 'doctor' ? 'doctor' : 'carer',
    });
    total.upserted += r.upserted;
    total.closed += r.closed;
  }
  return total;
}

/** For the registry: call after an elder's attributes or status change (same transaction). */
export async function replanElders(ex: Executor, elderIds: number[], now: Date) {
  return replan(ex, now, { elderIds });
}

// ---- policy resources ----

export async function getPolicy(deps: Deps, ctx: Ctx) {
  requireAccess(ctx, 'care.manage');
  await ensurePolicy(deps.db);
  const [templates, rules, overrides] = await Promise.all([
    repo.listTemplates(deps.db),
    repo.listRules(deps.db),
    overridesOf(deps.db),
  ]);
  const year = Number(shanghaiDate(deps.clock.now()).slice(0, 4));
  const holidays = lunarHolidays.flatMap((h) =>
    [year, year + 1].map((y) => ({
      holiday: h,
      year: y,
      date: lunarHolidayDate(h, y, overrides),
      overridden: Boolean(overrides[h]?.[y]),
    })),
  );
  return {
    templates: templates.map((t) => ({
      ...t,
      cadence: cadenceSchema.parse(t.cadence),
      assigneeRole: t.assigneeRole === 'doctor' ? ('doctor' as const) : ('carer' as const),
    })),
    rules: rules.map((r) => ({ ...r, condition: r.condition as Condition })),
    holidays,
  };
}

export async function updateTemplate(
  deps: Deps,
  ctx: Ctx,
  id: number,
  body: z.infer<typeof updateTemplateBody>,
) {
  requireAccess(ctx, 'config.city');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const t = await repo.getTemplate(tx, id);
    if (!t) throw notFound({ zh: '找不到该职责模板', en: 'Duty template not found' });
    const cadenceChanged = body.cadence && JSON.stringify(body.cadence) !== JSON.stringify(t.cadence);
    await repo.updateTemplate(tx, id, {
      ...body,
      version: cadenceChanged || body.watchSilence !== undefined ? t.version + 1 : t.version,
      updatedAt: now,
    });
    const r = await replan(tx, now, { templateIds: [id] });
    await emitPlanChanged(tx, 'policy', r, now);
    await recordAudit(tx, ctx, {
      action: 'care.template.update',
      entity: 'duty_template',
      entityId: id,
      details: { ...body, ...r },
    });
    return r;
  });
}

export async function createRule(deps: Deps, ctx: Ctx, body: z.infer<typeof createRuleBody>) {
  requireAccess(ctx, 'config.city');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    await ensurePolicy(tx);
    if (!(await repo.getTemplate(tx, body.templateId))) {
      throw new AppError('VALIDATION_FAILED', undefined, [
        { field: 'templateId', message: '职责模板不存在', messageEn: 'Unknown duty template' },
      ]);
    }
    const rule = await repo.insertRule(tx, { ...body, updatedAt: now });
    const r = await replan(tx, now, { templateIds: [body.templateId] });
    await emitPlanChanged(tx, 'policy', r, now);
    await recordAudit(tx, ctx, {
      action: 'care.rule.create',
      entity: 'policy_rule',
      entityId: rule.id,
      details: { ...body, ...r },
    });
    return r;
  });
}

export async function updateRule(deps: Deps, ctx: Ctx, id: number, body: z.infer<typeof updateRuleBody>) {
  requireAccess(ctx, 'config.city');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const rule = await repo.getRule(tx, id);
    if (!rule) throw notFound({ zh: '找不到该规则', en: 'Rule not found' });
    await repo.updateRule(tx, id, { ...body, updatedAt: now });
    const r = await replan(tx, now, { templateIds: [rule.templateId] });
    await emitPlanChanged(tx, 'policy', r, now);
    await recordAudit(tx, ctx, {
      action: 'care.rule.update',
      entity: 'policy_rule',
      entityId: id,
      details: { ...body, ...r },
    });
    return r;
  });
}

export async function overrideHoliday(deps: Deps, ctx: Ctx, body: z.infer<typeof holidayOverrideBody>) {
  requireAccess(ctx, 'config.city');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    await ensurePolicy(tx);
    await repo.upsertHolidayOverride(tx, body);
    const ids = await repo.bumpHolidayTemplates(tx, body.holiday);
    const r = ids.length ? await replan(tx, now, { templateIds: ids }) : { upserted: 0, closed: 0 };
    if (ids.length) await emitPlanChanged(tx, 'policy', r, now);
    await recordAudit(tx, ctx, {
      action: 'care.holiday.override',
      entity: 'holiday',
      entityId: body.holiday,
      details: { ...body, ...r },
    });
    return r;
  });
}

// ---- duties ----

export function dutyView(d: DutyRow, now: Date) {
  return {
    id: d.id,
    elderId: d.elder_id,
    elderName: d.elder_name,
    templateKey: d.template_key,
    templateName: d.template_name,
    channel: d.channel,
    assigneeId: d.assignee_id,
    assigneeName: d.assignee_name,
    windowStart: d.window_start?.toISOString() ?? null,
    dueAt: d.next_due_at?.toISOString() ?? null,
    lastDoneAt: d.last_done_at?.toISOString() ?? null,
    lastOutcome: d.last_outcome,
    pausedUntil: d.paused_until?.toISOString() ?? null,
    pauseReason: d.pause_reason,
    deadlineTime:
      d.watch_silence && (d.cadence as { kind?: string }).kind === 'daily' ? d.deadline_time : null,
    active: d.active,
    closedReason: d.closed_reason,
    overdue: Boolean(d.active && d.next_due_at && d.next_due_at <= now),
  };
}

/** The scope of duty rows for the caller: staff by org subtree, carers and doctors only their own. */
export function dutyScope(ctx: Ctx): SQL {
  if (hasAccess(ctx, 'care.manage')) return inScope(ctx.auth, sql.raw('d.org_path'));
  if (hasAccess(ctx, 'care.work')) return sql`d.assignee_id = ${ctx.auth.userId}`;
  return sql`false`;
}

export async function orgPathInScope(
  ex: Executor,
  ctx: Ctx,
  orgId: number,
): Promise<{ path: string; name: string; kind: string }> {
  const o = await getOrgAsSystem(ex, orgId);
  if (!o || !ctx.auth.scopes.some((s) => o.path.startsWith(s.path))) {
    throw notFound({ zh: '找不到该组织', en: 'Organisation not found' });
  }
  return { path: o.path, name: o.name, kind: o.kind };
}

export async function listDuties(deps: Deps, ctx: Ctx, q: z.infer<typeof dutiesQuery>) {
  const now = deps.clock.now();
  let scope = dutyScope(ctx);
  if (q.orgId) {
    const o = await orgPathInScope(deps.db, ctx, q.orgId);
    scope = sql`${scope} AND d.org_path LIKE ${`${o.path}%`}`;
  }
  const rows = await duties.listDuties(deps.db, {
    scope,
    assigneeId: q.assigneeId,
    elderId: q.elderId,
    templateKey: q.templateKey,
    overdueAt: q.overdue === 'true' ? now : undefined,
    includeClosed: q.includeClosed === 'true',
    limit: q.limit,
    offset: q.offset,
  });
  return { items: rows.map((d) => dutyView(d, now)) };
}

export { idArray };

/** An administrator re-plans everyone against the current policy (also run daily by care.jobs). */
export async function replanAll(deps: Deps, ctx: Ctx) {
  requireAccess(ctx, 'config.city');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const r = await replan(tx, now);
    await emitPlanChanged(tx, 'policy', r, now);
    await recordAudit(tx, ctx, { action: 'care.replan', entity: 'policy', details: r });
    return r;
  });
}
