import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { AbilityScoreError, abilityLevels, scoreAssessment } from '../../../shared/ability.ts';
import type {
  createAssessmentBody,
  createConditionBody,
  createDoctorContractBody,
  createHospitalStayBody,
  createMedicationBody,
  dischargeBody,
  putHealthCardBody,
} from '../../../shared/elders.ts';
import { hasAccess, requireAccess } from '../../platform/access.ts';
import { AppError, fieldError, notFound, notFoundField } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Executor, type Tx, withTx } from '../../platform/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { replanElders } from '../care/care.service.ts';
import * as elderRepo from './elders.repo.ts';
import { type Deps, loadVisibleElder } from './elders.service.ts';
import * as repo from './health.repo.ts';

const today = (deps: Deps) => shanghaiDate(deps.clock.now());

/** Health data is sensitive: in scope, and only for coordinators, managers and the elder's doctor. */
async function healthElder(ex: Executor, deps: Deps, ctx: Ctx, elderId: number, write: boolean) {
  const e = await loadVisibleElder(ex, ctx, elderId, today(deps), write);
  if (!hasAccess(ctx, 'health.read') || (write && !hasAccess(ctx, 'health.write'))) {
    throw new AppError('FORBIDDEN', {
      zh: '您无权查看或修改健康档案',
      en: 'You may not access health records',
    });
  }
  return e;
}

const levelName = (level: number) => abilityLevels.find((l) => l.level === level)?.zh ?? '';

function assessmentView(a: repo.AssessmentRow) {
  return {
    id: a.id,
    standard: a.standard,
    assessedOn: a.assessedOn,
    reason: a.reason as '首次',
    items: a.items as Record<string, number>,
    factors: a.factors as Record<string, never>,
    assessor1: a.assessor1,
    assessor2: a.assessor2,
    total: a.total,
    dimensions: a.dimensions as { selfCare: number; mobility: number; mental: number; perception: number },
    baseLevel: a.baseLevel,
    level: a.level,
    levelName: levelName(a.level),
    adjusted: a.adjusted,
    createdAt: a.createdAt.toISOString(),
  };
}

export async function getHealth(deps: Deps, ctx: Ctx, elderId: number) {
  const db = deps.db;
  await healthElder(db, deps, ctx, elderId, false);
  const [conditions, stays, contracts, medications, card, assessments, vitals] = await Promise.all([
    repo.listConditions(db, elderId),
    repo.listStays(db, elderId),
    repo.listContracts(db, elderId),
    repo.listMedications(db, elderId),
    repo.getCard(db, elderId),
    repo.listAssessments(db, elderId),
    repo.listVitalSigns(db, elderId),
  ]);
  return {
    conditions: conditions.map((c) => ({ id: c.id, name: c.name, diagnosedOn: c.diagnosedOn, note: c.note })),
    hospitalStays: stays.map(stayView),
    doctorContracts: contracts.map(contractView),
    medications: medications.map((m) => ({
      id: m.id,
      name: m.name,
      dosage: m.dosage,
      schedule: m.schedule,
      note: m.note,
    })),
    card: cardView(card),
    assessments: assessments.map(assessmentView),
    vitalSigns: vitals.map((v) => ({
      id: v.id,
      measuredAt: v.measuredAt.toISOString(),
      systolic: v.systolic,
      diastolic: v.diastolic,
      glucose: v.glucose == null ? null : Number(v.glucose),
      weight: v.weight == null ? null : Number(v.weight),
      recordedByName: v.recordedByName,
    })),
  };
}

/**
 * For the care network: vital signs measured on visits, written in the caller's transaction (the one
 * recording the contacts). The caller has checked the author may see each elder (the contact's
 * insert is scoped) and may write health data (permission `health.write`); values are validated by the
 * shared `vitalSignsSchema`.
 */
export async function recordVitalSigns(tx: Executor, v: repo.VitalSignsInsert[]): Promise<void> {
  await repo.insertVitalSigns(tx, v);
}

function stayView(s: repo.StayRow) {
  return {
    id: s.id,
    hospital: s.hospital,
    ward: s.ward,
    reason: s.reason,
    admittedOn: s.admittedOn,
    dischargedOn: s.dischargedOn,
    note: s.note,
  };
}

function contractView(c: Awaited<ReturnType<typeof repo.listContracts>>[number]) {
  return {
    id: c.id,
    doctor: { id: c.doctorId, name: c.doctorName },
    startDate: c.startDate,
    endDate: c.endDate,
    note: c.note,
  };
}

function cardView(c: Awaited<ReturnType<typeof repo.getCard>>) {
  return {
    greenCardNo: c?.greenCardNo ?? null,
    greenCardHospital: c?.greenCardHospital ?? null,
    greenCardIssuedOn: c?.greenCardIssuedOn ?? null,
    sickBedProvider: c?.sickBedProvider ?? null,
    sickBedFrom: c?.sickBedFrom ?? null,
    sickBedUntil: c?.sickBedUntil ?? null,
    sickBedNote: c?.sickBedNote ?? null,
    medicationNotes: c?.medicationNotes ?? null,
  };
}

/** One health write: access, the change, the audit entry, in one transaction. */
function healthWrite<T>(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  action: string,
  fn: (tx: Tx, e: elderRepo.ElderRow) => Promise<{ result: T; details?: Record<string, unknown> }>,
): Promise<T> {
  return withTx(deps.db, async (tx) => {
    const e = await healthElder(tx, deps, ctx, elderId, true);
    const { result, details } = await fn(tx, e);
    await recordAudit(tx, ctx, { action, entity: 'elder', entityId: elderId, orgPath: e.orgPath, details });
    return result;
  });
}

export function addCondition(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  body: z.infer<typeof createConditionBody>,
) {
  return healthWrite(deps, ctx, elderId, 'elder.condition.add', async (tx, e) => {
    const c = await repo.insertCondition(tx, { ...body, elderId, orgPath: e.orgPath });
    return {
      result: { id: c.id, name: c.name, diagnosedOn: c.diagnosedOn, note: c.note },
      details: { conditionId: c.id },
    };
  });
}

export function deleteCondition(deps: Deps, ctx: Ctx, elderId: number, id: number) {
  return healthWrite(deps, ctx, elderId, 'elder.condition.delete', async (tx) => {
    if (!(await repo.deleteCondition(tx, elderId, id))) throw notFound();
    return { result: { ok: true as const }, details: { conditionId: id } };
  });
}

/** An open stay (admitted, not discharged) sets the elder hospitalised, in the same transaction. */
export function addHospitalStay(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  body: z.infer<typeof createHospitalStayBody>,
) {
  return healthWrite(deps, ctx, elderId, 'elder.hospital.admit', async (tx, e) => {
    return { result: stayView(await admit(tx, e, body)), details: { admittedOn: body.admittedOn } };
  });
}

async function admit(tx: Executor, e: elderRepo.ElderRow, body: z.infer<typeof createHospitalStayBody>) {
  if (body.dischargedOn && body.dischargedOn < body.admittedOn) {
    throw fieldError('body.dischargedOn', '出院日期不能早于入院日期', 'Discharge cannot precede admission');
  }
  const open = !body.dischargedOn;
  if (open && (await repo.openStay(tx, e.id))) {
    throw new AppError('CONFLICT', {
      zh: '该老人已有一次未出院的住院记录，请先办理出院',
      en: 'The elder already has an open hospital stay: discharge it first',
    });
  }
  const s = await repo.insertStay(tx, {
    ...body,
    dischargedOn: body.dischargedOn ?? null,
    elderId: e.id,
    orgPath: e.orgPath,
  });
  if (open && e.status === 'active') {
    await elderRepo.updateElder(tx, e.id, {
      status: 'hospitalised',
      statusSince: body.admittedOn,
      statusReason: `住院：${body.hospital}`,
    });
  }
  return s;
}

/** Discharge ends the stay and sets a hospitalised elder active again, in the same transaction. */
export function dischargeHospitalStay(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  stayId: number,
  body: z.infer<typeof dischargeBody>,
) {
  return healthWrite(deps, ctx, elderId, 'elder.hospital.discharge', async (tx, e) => {
    const stay = await repo.getStay(tx, elderId, stayId);
    if (!stay) throw notFound({ zh: '找不到该住院记录', en: 'Hospital stay not found' });
    if (stay.dischargedOn) {
      throw new AppError('CONFLICT', { zh: '该住院记录已出院', en: 'Already discharged' });
    }
    if (body.dischargedOn < stay.admittedOn) {
      throw fieldError('body.dischargedOn', '出院日期不能早于入院日期', 'Discharge cannot precede admission');
    }
    const s = await repo.dischargeStay(tx, stayId, body.dischargedOn, body.note);
    if (e.status === 'hospitalised') {
      await elderRepo.updateElder(tx, elderId, {
        status: 'active',
        statusSince: body.dischargedOn,
        statusReason: `出院：${stay.hospital}`,
      });
    }
    return { result: stayView(s), details: { stayId, dischargedOn: body.dischargedOn } };
  });
}

/** For the incidents module (outcome "sent to hospital"): opens a stay unless one is open. */
export async function admitToHospitalAsSystem(
  tx: Executor,
  elderId: number,
  stay: { hospital: string; admittedOn: string; reason?: string | null },
): Promise<void> {
  const e = await elderRepo.getElderForUpdate(tx, elderId, sql`true`);
  if (!e || (await repo.openStay(tx, elderId))) return;
  await admit(tx, e, { hospital: stay.hospital, admittedOn: stay.admittedOn, reason: stay.reason ?? null });
}

export function addDoctorContract(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  body: z.infer<typeof createDoctorContractBody>,
) {
  requireAccess(ctx, 'elders.write');
  return healthWrite(deps, ctx, elderId, 'elder.doctor.contract', async (tx, e) => {
    // the contract grants the doctor this elder's record: a doctor serving elsewhere (another
    // district's) is 404 naming the field, as an unknown account (issue 16.4)
    const doctor = await repo.getDoctor(tx, body.doctorId, [e.orgPath, e.affiliationPath]);
    if (!doctor?.covers) throw notFoundField('body.doctorId', { zh: '医生', en: 'doctor' });
    if (body.endDate && body.endDate < body.startDate) {
      throw fieldError('body.endDate', '结束日期不能早于开始日期', 'The end cannot precede the start');
    }
    const c = await repo.insertContract(tx, {
      ...body,
      endDate: body.endDate ?? null,
      elderId,
      orgPath: e.orgPath,
    });
    // the doctor's duties (家庭医生季度上门 …) follow the contract at once (same transaction)
    await replanElders(tx, [elderId], deps.clock.now());
    return {
      result: contractView({ ...c, doctorName: doctor.name }),
      details: { contractId: c.id, doctorId: doctor.id },
    };
  });
}

export function endDoctorContract(deps: Deps, ctx: Ctx, elderId: number, id: number, endDate: string) {
  requireAccess(ctx, 'elders.write');
  return healthWrite(deps, ctx, elderId, 'elder.doctor.end', async (tx) => {
    const c = await repo.endContract(tx, elderId, id, endDate);
    if (!c) throw notFound();
    await replanElders(tx, [elderId], deps.clock.now());
    const [full] = (await repo.listContracts(tx, elderId)).filter((x) => x.id === id);
    return { result: contractView(full), details: { contractId: id, endDate } };
  });
}

export function addMedication(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  body: z.infer<typeof createMedicationBody>,
) {
  return healthWrite(deps, ctx, elderId, 'elder.medication.add', async (tx, e) => {
    const m = await repo.insertMedication(tx, { ...body, elderId, orgPath: e.orgPath });
    return {
      result: { id: m.id, name: m.name, dosage: m.dosage, schedule: m.schedule, note: m.note },
      details: { medicationId: m.id },
    };
  });
}

export function deleteMedication(deps: Deps, ctx: Ctx, elderId: number, id: number) {
  return healthWrite(deps, ctx, elderId, 'elder.medication.delete', async (tx) => {
    if (!(await repo.deleteMedication(tx, elderId, id))) throw notFound();
    return { result: { ok: true as const }, details: { medicationId: id } };
  });
}

export function putHealthCard(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  body: z.infer<typeof putHealthCardBody>,
) {
  return healthWrite(deps, ctx, elderId, 'elder.health.card', async (tx, e) => {
    const c = await repo.putCard(tx, {
      elderId,
      orgPath: e.orgPath,
      greenCardNo: body.greenCardNo ?? null,
      greenCardHospital: body.greenCardHospital ?? null,
      greenCardIssuedOn: body.greenCardIssuedOn ?? null,
      sickBedProvider: body.sickBedProvider ?? null,
      sickBedFrom: body.sickBedFrom ?? null,
      sickBedUntil: body.sickBedUntil ?? null,
      sickBedNote: body.sickBedNote ?? null,
      medicationNotes: body.medicationNotes ?? null,
    });
    return { result: cardView(c), details: { fields: Object.keys(body) } };
  });
}

/**
 * GB/T 42195-2022: the server scores the 26 items and derives the level with the standard's
 * adjustments; the latest assessment's level is kept on the elder for filtering.
 */
export function addAssessment(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  body: z.infer<typeof createAssessmentBody>,
) {
  return healthWrite(deps, ctx, elderId, 'elder.assessment.add', async (tx, e) => {
    const { assessedOn, reason, assessor1, assessor2, items, ...factors } = body;
    let score: ReturnType<typeof scoreAssessment>;
    try {
      score = scoreAssessment({ items, ...factors });
    } catch (err) {
      if (err instanceof AbilityScoreError) {
        throw new AppError(
          'VALIDATION_FAILED',
          undefined,
          err.details.map((d) => ({ field: `body.${d.field}`, message: d.message })),
        );
      }
      throw err;
    }
    if (assessedOn > today(deps)) {
      throw fieldError(
        'body.assessedOn',
        '评估日期不能晚于今天',
        'The assessment date cannot be in the future',
      );
    }
    const a = await repo.insertAssessment(tx, {
      elderId,
      orgPath: e.orgPath,
      assessedOn,
      reason,
      items,
      factors,
      assessor1,
      assessor2,
      total: score.total,
      dimensions: score.dimensions,
      baseLevel: score.baseLevel,
      level: score.level,
      adjusted: score.adjusted,
      createdBy: ctx.auth.userId,
    });
    const latest = await elderRepo.latestAssessmentLevel(tx, elderId);
    if (latest) {
      await elderRepo.updateElder(tx, elderId, {
        abilityLevel: latest.level,
        abilityAssessedOn: latest.assessedOn,
      });
    }
    return { result: assessmentView(a), details: { assessmentId: a.id, level: a.level, total: a.total } };
  });
}
