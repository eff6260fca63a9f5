import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { alertsQuery, calendarQuery, contactsQuery, pauseBody } from '../../../shared/care.ts';
import { requireAccess } from '../../platform/access.ts';
import { fieldError, notFound } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { withTx } from '../../platform/db.ts';
import { formulaSafe } from '../../platform/formula-safe.ts';
import { inScope } from '../../platform/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadVisibleElder } from '../elders/elders.service.ts';
import { orgDisplayNames } from '../orgs/orgs.service.ts';
import { shanghaiTime, wholeDays } from './cadence.ts';
import { type Deps, dutyScope, dutyView, orgPathInScope, replan } from './care.service.ts';
import * as contacts from './contacts.repo.ts';
import { contactView, ledgerScope, monthRange } from './contacts.service.ts';
import * as duties from './duties.repo.ts';
import { nextDeadlineSql } from './plan.repo.ts';
import { ageOn } from './policy-rules.ts';
import { priorityOf, rankByPriority } from './priority.ts';

const DAY = 86400_000;

/**
 * The caller's worklist: overdue, due today, upcoming (7 days; a doctor's: every open window), each ranked by a transparent priority,
 * as JSON text (`worklistResponse`) built here from the query's plain columns — no response
 * serializer runs on this hot path (see `sendRenderedJson`).
 */
export async function worklist(deps: Deps, ctx: Ctx): Promise<string> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const [y, m, d] = today.split('-').map(Number);
  const endOfToday = shanghaiTime(y, m, d + 1);
  const found = await duties.worklist(
    deps.db,
    ctx.auth.userId,
    now,
    new Date(endOfToday.getTime() + 7 * DAY),
    500,
    // a family doctor plans the quarter's home visits across it: every open window is on their list
    ctx.auth.role === 'doctor',
  );
  const orgNames = await orgDisplayNames(
    deps.db,
    found.map((r) => Number(r.org_id)),
  );
  const ranked = found.map((r) => {
    const dueAt = new Date(r.due_ms);
    const overdue = r.active && dueAt <= now;
    const daysOverdue = overdue ? Math.max(1, wholeDays(dueAt, now) + 1) : 0;
    const age = ageOn(r.birth_date, today);
    const priority = priorityOf({
      age,
      livesAlone: ['独居', '孤老'].includes(r.living_situation ?? ''),
      emptyNest: ['空巢', '纯老家庭'].includes(r.living_situation ?? ''),
      abilityLevel: r.ability_level,
      chronicConditions: r.conditions,
      hearingImpaired: r.hearing_impaired,
      daysOverdue,
      lastOutcome: r.last_outcome,
    });
    // the fields of dutyView, in its order, then what the carer's phone shows and the ranking
    const item = {
      id: r.id,
      elderId: r.elder_id,
      elderName: r.elder_name,
      templateKey: r.template_key,
      templateName: r.template_name,
      channel: r.channel,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      windowStart: r.window_start,
      dueAt: r.due_at,
      lastDoneAt: r.last_done_at,
      lastOutcome: r.last_outcome,
      pausedUntil: r.paused_until,
      pauseReason: r.pause_reason,
      deadlineTime: r.deadline_time,
      active: r.active,
      closedReason: r.closed_reason,
      overdue,
      phones: r.phones,
      address: r.address,
      orgName: orgNames.get(Number(r.org_id)) ?? null,
      age,
      score: priority.score,
      reasons: priority.reasons,
      daysOverdue,
    };
    return { item, priority, dueAt };
  });
  const out: Record<'overdue' | 'today' | 'upcoming', (typeof ranked)[number]['item'][]> = {
    overdue: [],
    today: [],
    upcoming: [],
  };
  for (const { item, dueAt } of rankByPriority(ranked)) {
    out[dueAt <= now ? 'overdue' : dueAt <= endOfToday ? 'today' : 'upcoming'].push(item);
  }
  return JSON.stringify(out);
}

export async function calendar(deps: Deps, ctx: Ctx, q: z.infer<typeof calendarQuery>) {
  const o = await orgPathInScope(deps.db, ctx, q.orgId);
  const now = deps.clock.now();
  const scope = sql`${dutyScope(ctx)} AND d.org_path LIKE ${`${o.path}%`}`;
  const rows = await duties.calendar(deps.db, scope, now, new Date(now.getTime() + q.days * DAY), 1000);
  return { items: rows.map((r) => dutyView(r, now)) };
}

/** Pause an elder's duties (hospital stay, travelling) until a date; they resume by themselves. */
export async function pause(deps: Deps, ctx: Ctx, body: z.infer<typeof pauseBody>) {
  requireAccess(ctx, 'care.work');
  const now = deps.clock.now();
  const [y, m, d] = body.until.split('-').map(Number);
  const until = shanghaiTime(y, m, d);
  if (until <= now)
    throw fieldError('body.until', '恢复日期应晚于今天', 'The resume date must be after today');
  return withTx(deps.db, async (tx) => {
    const e = await loadVisibleElder(tx, ctx, body.elderId, shanghaiDate(now));
    const count = await duties.pauseElderDuties(tx, e.id, until, body.reason, now);
    await recordAudit(tx, ctx, {
      action: 'care.pause',
      entity: 'elder',
      entityId: e.id,
      orgPath: e.orgPath,
      details: body,
    });
    return { count };
  });
}

export async function resume(deps: Deps, ctx: Ctx, elderId: number) {
  requireAccess(ctx, 'care.work');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const e = await loadVisibleElder(tx, ctx, elderId, shanghaiDate(now));
    const count = await duties.resumeElderNow(tx, e.id, now);
    await replan(tx, now, { elderIds: [e.id] });
    await recordAudit(tx, ctx, {
      action: 'care.resume',
      entity: 'elder',
      entityId: e.id,
      orgPath: e.orgPath,
    });
    return { count };
  });
}

/** Per-elder daily deadline ("no news by 20:00" by default). */
export async function setDeadline(deps: Deps, ctx: Ctx, elderId: number, time: string) {
  requireAccess(ctx, 'care.manage');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const e = await loadVisibleElder(tx, ctx, elderId, shanghaiDate(now));
    const count = await duties.setDeadline(
      tx,
      e.id,
      time,
      nextDeadlineSql(sql`${time}`, now, shanghaiDate(now)),
    );
    await recordAudit(tx, ctx, {
      action: 'care.deadline',
      entity: 'elder',
      entityId: e.id,
      orgPath: e.orgPath,
      details: { time },
    });
    return { count };
  });
}

async function ledgerRows(deps: Deps, ctx: Ctx, q: z.infer<typeof contactsQuery>) {
  const [from, to] = q.month ? monthRange(q.month) : [undefined, undefined];
  const orgPath = q.orgId ? (await orgPathInScope(deps.db, ctx, q.orgId)).path : undefined;
  return contacts.listLedger(deps.db, {
    scope: ledgerScope(ctx),
    elderId: q.elderId,
    carerId: q.carerId,
    orgPath,
    from,
    to,
    limit: q.format === 'xlsx' ? 50_000 : q.limit,
    offset: q.format === 'xlsx' ? 0 : q.offset,
  });
}

export async function listContacts(deps: Deps, ctx: Ctx, q: z.infer<typeof contactsQuery>) {
  return { items: (await ledgerRows(deps, ctx, q)).map(contactView) };
}

const channelZh: Record<string, string> = {
  phone: '电话',
  wechat: '微信',
  video: '视频',
  home_visit: '上门',
};
const outcomeZh: Record<string, string> = {
  reached_ok: '已联系·正常',
  reached_concern: '已联系·有异常',
  not_reached_no_answer: '未联系上·无人接听',
  not_reached_busy: '未联系上·占线',
  not_reached_wrong_number: '未联系上·号码错误',
  not_reached_away: '未联系上·外出',
  moved: '已迁出',
  deceased: '已去世',
};

/** The ledger form (走访联系台账): a title row, numbered rows, a footer to sign. */
export async function exportContacts(deps: Deps, ctx: Ctx, q: z.infer<typeof contactsQuery>) {
  const items = await ledgerRows(deps, ctx, { ...q, format: 'xlsx' });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('走访联系台账');
  const title = `走访联系台账${q.month ? `（${q.month.replace('-', '年')}月）` : ''}`;
  ws.addRow([title]);
  ws.mergeCells(1, 1, 1, 10);
  ws.getRow(1).font = { bold: true, size: 16 };
  ws.addRow([
    '序号',
    '日期',
    '时间',
    '老人姓名',
    '联系人',
    '方式',
    '结果',
    '时长（分钟）',
    '发现需求',
    '备注',
  ]);
  ws.getRow(2).font = { bold: true };
  items.forEach((c, i) => {
    const local = new Date(c.contacted_at.getTime() + 8 * 3600_000).toISOString();
    ws.addRow(
      [
        i + 1,
        local.slice(0, 10),
        local.slice(11, 16),
        c.elder_name,
        c.carer_name,
        channelZh[c.channel] ?? c.channel,
        outcomeZh[c.outcome] ?? c.outcome,
        c.duration_min ?? '',
        c.needs.join('；'),
        c.note ?? '',
      ].map(formulaSafe),
    );
  });
  ws.addRow([]);
  ws.addRow([`填表人：${ctx.auth.displayName}`, '', '', '', `日期：${shanghaiDate(deps.clock.now())}`]);
  ws.columns.forEach((col, i) => {
    col.width = [6, 12, 8, 12, 12, 8, 18, 12, 30, 30][i];
  });
  return { filename: `${title}.xlsx`, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
}

export async function listAlerts(deps: Deps, ctx: Ctx, q: z.infer<typeof alertsQuery>) {
  requireAccess(ctx, 'care.alerts');
  const rows = await contacts.listAlerts(
    deps.db,
    inScope(ctx.auth, sql.raw('a.org_path')),
    q.status,
    q.limit,
  );
  return {
    items: rows.map((a) => ({
      id: a.id,
      elderId: a.elder_id,
      elderName: a.elder_name,
      dutyId: a.duty_id,
      kind: a.kind,
      day: a.day,
      raisedAt: a.raised_at.toISOString(),
      status: a.status,
      details: a.details ?? null,
    })),
  };
}

export async function acknowledgeAlert(deps: Deps, ctx: Ctx, id: number) {
  requireAccess(ctx, 'care.alerts');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const a = await contacts.acknowledgeAlert(
      tx,
      id,
      inScope(ctx.auth, sql.raw('a.org_path')),
      ctx.auth.userId,
      now,
    );
    if (!a) throw notFound({ zh: '找不到该预警', en: 'Alert not found' });
    await recordAudit(tx, ctx, {
      action: 'care.alert.ack',
      entity: 'care_alert',
      entityId: id,
      orgPath: a.org_path,
    });
    return { count: 1 };
  });
}
