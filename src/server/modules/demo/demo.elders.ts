import { sql } from 'drizzle-orm';
import { abilityItems, scoreAssessment } from '../../../shared/ability.ts';
import { makeIdNumber } from '../../../shared/id-number.ts';
import { type Db, rows, withTx } from '../../platform/db.ts';
import { progress } from '../../platform/progress.ts';
import {
  type ElderBulkRow,
  type ElderRecordsBulk,
  insertElderRecordsBulk,
  insertEldersBulk,
} from '../elders/elders.service.ts';
import type { OrgRow } from '../orgs/orgs.service.ts';
import { mobile, personName, Rng } from './random.ts';

/**
 * Demo step of the elder registry (issue 3, item 10): fictional elders with realistic spreads — ages
 * 60–103, about a fifth living alone, categories with their 原单位, chronic conditions, circles of
 * relatives, GB/T 42195 assessments, family-doctor contracts — deterministic, and in bulk: one
 * jsonb_to_recordset statement per table per chunk, never a row per statement.
 */
export const elderCounts = { demo: 600, district: 15_000, city: 1_000_000 } as const;

// The birth dates are drawn relative to a fixed day, so the demo is the same on every machine.
const REFERENCE_YEAR = 2026;
const AREAS = ['330102', '330105', '330106', '330108', '330110'];
const CONDITIONS = [
  '高血压',
  '糖尿病',
  '冠心病',
  '慢阻肺',
  '脑卒中后遗症',
  '骨质疏松',
  '阿尔茨海默病',
  '帕金森病',
  '关节炎',
  '白内障',
];
const HOSPITALS = ['滨江市第一人民医院', '滨江市中医院', '滨江大学附属医院', '云溪区人民医院'];
const MEDICINES = [
  ['硝苯地平控释片', '30mg', '每日一次'],
  ['二甲双胍', '0.5g', '每日三次'],
  ['阿司匹林肠溶片', '100mg', '每日一次'],
  ['阿托伐他汀', '20mg', '每晚一次'],
  ['多奈哌齐', '5mg', '每晚一次'],
] as const;
const RELATIONS: [string, 'M' | 'F'][] = [
  ['儿子', 'M'],
  ['女儿', 'F'],
  ['配偶', 'F'],
  ['侄子', 'M'],
  ['外甥女', 'F'],
  ['孙子', 'M'],
];

interface Orgs {
  grids: OrgRow[];
  communities: OrgRow[];
  units: OrgRow[];
  departments: OrgRow[];
}

function pickWeighted<T>(rng: Rng, items: [T, number][]): T {
  let r = rng.next() * items.reduce((a, [, w]) => a + w, 0);
  for (const [v, w] of items) {
    r -= w;
    if (r < 0) return v;
  }
  return items[items.length - 1][0];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function itemsForLevel(rng: Rng, severity: number): Record<string, number> {
  // severity 0..1: the chance that an item falls short of full marks, and by how much
  return Object.fromEntries(
    abilityItems.map((i) => [i.key, rng.chance(severity) ? rng.int(0, Math.max(0, i.max - 1)) : i.max]),
  );
}

export function seedElders(
  db: Db,
  scale: keyof typeof elderCounts,
  orgs: Orgs,
  seed = 3,
): Promise<{ elders: number }> {
  return insertDemoElders(db, elderCounts[scale], orgs, {
    seed,
    label: `seed ${scale}: elders`,
    chunk: scale === 'demo' ? 600 : 5000,
  });
}

/**
 * `total` demo elders spread over the grids, with their circles and records, through the registry's
 * bulk path (elders.bulk-insert.ts) — the demo's step, and the benchmarks' registry (bench/).
 */
export async function insertDemoElders(
  db: Db,
  total: number,
  orgs: Orgs,
  opts: { seed?: number; label?: string; chunk?: number } = {},
): Promise<{ elders: number }> {
  const rng = new Rng(20261122 + (opts.seed ?? 3));
  const communityOf = new Map(orgs.communities.map((c) => [c.id, c]));
  const doctors = await rows<{ id: number; path: string; username: string }>(
    db,
    sql`SELECT u.id, o.path, u.username FROM users u JOIN user_scopes s ON s.user_id = u.id
        JOIN orgs o ON o.id = s.org_id WHERE u.role = 'doctor' AND u.active ORDER BY u.id`,
  );
  const deptsOf = (unitIndex: number) =>
    orgs.departments.filter((d) => d.parentId === orgs.units[unitIndex]?.id);
  const university = deptsOf(0);
  const bureau = deptsOf(1);
  const sanatorium = deptsOf(2);
  const usedIds = new Set<string>();
  // doctors by grid, computed once per grid (the city scale has 1M elders and ~4k doctors)
  const doctorsByGrid = new Map<number, { id: number }[]>();
  const doctorsOf = (grid: OrgRow) => {
    let list = doctorsByGrid.get(grid.id);
    if (!list) {
      list = doctors.filter((d) => grid.path.startsWith(d.path));
      doctorsByGrid.set(grid.id, list);
    }
    return list;
  };
  const bar = progress(opts.label ?? 'elders', total);
  const CHUNK = opts.chunk ?? 5000;

  for (let start = 0; start < total; start += CHUNK) {
    const n = Math.min(CHUNK, total - start);
    const elders: ElderBulkRow[] = [];
    const extras: {
      relatives: { name: string; relation: string; phones: string[]; nearby: boolean }[];
      conditions: string[];
      level: number | null;
      items?: Record<string, number>;
      factors?: Record<string, unknown>;
      stay: boolean;
      doctorId: number | null;
      meds: number;
      greenCard: boolean;
    }[] = [];
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const grid = orgs.grids[i % orgs.grids.length];
      const community = communityOf.get(grid.parentId!)!;
      const gender: 'M' | 'F' = rng.chance(0.56) ? 'F' : 'M';
      const age = pickWeighted(rng, [
        [rng.int(60, 69), 30],
        [rng.int(70, 79), 35],
        [rng.int(80, 89), 25],
        [rng.int(90, 99), 9],
        [rng.int(100, 103), 1],
      ]);
      // born January–October: the age on the reference day (22 November) is exactly `age`
      const birth = `${REFERENCE_YEAR - age}-${pad(rng.int(1, 10))}-${pad(rng.int(1, 28))}`;
      let idNumber = '';
      for (let seq = rng.int(1, 499) * 2 - (gender === 'M' ? 1 : 0); ; seq += 2) {
        idNumber = makeIdNumber(rng.pick(AREAS), birth, seq);
        if (!usedIds.has(idNumber)) break;
      }
      usedIds.add(idNumber);
      const name = personName(rng, gender);
      const category = pickWeighted<string>(rng, [
        ['社区老人', 45],
        ['退休教职工', 20],
        ['退休干部', 15],
        [age >= 92 ? '离休干部' : '退休干部', 3],
        ['军休干部', 5],
        ['无军籍职工', 3],
        ['遗属', 4],
      ]);
      const depts =
        category === '退休教职工'
          ? university
          : category === '离休干部' || category === '退休干部'
            ? bureau
            : category === '军休干部' || category === '无军籍职工'
              ? sanatorium
              : [];
      const affiliation = depts.length > 0 ? rng.pick(depts) : null;
      const living = pickWeighted(rng, [
        ['独居', 20],
        ['空巢', 28],
        ['纯老家庭', 10],
        ['与子女同住', 30],
        ['孤老', 3],
        ['留守', 2],
        ['机构', 7],
      ]);
      const assessed = rng.chance(0.55);
      const severity = age >= 90 ? 0.5 : age >= 80 ? 0.25 : 0.08;
      let level: number | null = null;
      let items: Record<string, number> | undefined;
      let factors: Record<string, unknown> | undefined;
      if (assessed) {
        items = itemsForLevel(rng, severity);
        factors = { dementia: rng.chance(severity / 4), falls30d: rng.chance(0.05) ? 2 : 0 };
        level = scoreAssessment({ items, ...factors }).level;
      }
      const groups = [
        ...(living === '独居' || living === '孤老' ? ['独居'] : []),
        ...(living === '空巢' || living === '纯老家庭' ? ['空巢'] : []),
        ...(living === '留守' ? ['留守'] : []),
        ...(level != null && level >= 3 ? ['失能'] : []),
        ...(rng.chance(0.02) ? ['计划生育特殊家庭'] : []),
      ];
      const phones = rng.chance(0.9) ? [mobile(rng), ...(rng.chance(0.15) ? [mobile(rng)] : [])] : [];
      const status = pickWeighted(rng, [
        ['active', 960],
        ['hospitalised', 20],
        ['moved_away', 10],
        ['deceased', 10],
      ]);
      const building = rng.int(1, 24);
      const unit = rng.int(1, 3);
      const room = `${rng.int(1, 18)}0${rng.int(1, 4)}`;
      const tags = [
        ...((age >= 80 && groups.includes('独居')) || (level ?? 0) >= 3 ? ['重点关注'] : []),
        ...(category === '退休教职工' && age >= 85 && rng.chance(0.15) ? ['西迁老教授'] : []),
      ];
      elders.push({
        org_id: grid.id,
        org_path: grid.path,
        affiliation_id: affiliation?.id ?? null,
        affiliation_path: affiliation?.path ?? null,
        name,
        gender,
        id_number: idNumber,
        birth_date: birth,
        phones,
        address: `${community.name}${building}幢${unit}单元${room}室`,
        building: `${building}幢`,
        unit: `${unit}单元`,
        room,
        categories: [category],
        living_situation: living,
        difficulty_groups: groups,
        hearing_impaired: rng.chance(age >= 85 ? 0.3 : 0.08),
        vision_impaired: rng.chance(age >= 85 ? 0.2 : 0.05),
        mobility_impaired: rng.chance(severity),
        cognition_impaired: rng.chance(severity / 3),
        tags,
        status,
        status_since: `${REFERENCE_YEAR}-${pad(rng.int(1, 10))}-${pad(rng.int(1, 28))}`,
        status_reason:
          status === 'active'
            ? null
            : status === 'hospitalised'
              ? '住院治疗'
              : status === 'moved_away'
                ? '随子女迁居外地'
                : '病故',
        ability_level: level,
        ability_assessed_on: assessed
          ? `${REFERENCE_YEAR}-${pad(rng.int(1, 10))}-${pad(rng.int(1, 28))}`
          : null,
        agreement_signed_at: rng.chance(0.85)
          ? `${REFERENCE_YEAR - rng.int(0, 3)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`
          : null,
      });
      const relatives =
        living === '孤老'
          ? []
          : Array.from({ length: rng.int(1, 3) }, () => {
              const [relation, g] = rng.pick(RELATIONS);
              return { name: personName(rng, g), relation, phones: [mobile(rng)], nearby: rng.chance(0.4) };
            });
      const streetDoctors = doctorsOf(grid);
      extras.push({
        relatives,
        conditions: [
          ...new Set(Array.from({ length: rng.int(0, age >= 80 ? 3 : 2) }, () => rng.pick(CONDITIONS))),
        ],
        level,
        items,
        factors,
        stay: status === 'hospitalised',
        doctorId: streetDoctors.length > 0 && rng.chance(0.45) ? rng.pick(streetDoctors).id : null,
        meds: rng.int(0, 2),
        greenCard: age >= 80 && rng.chance(0.5),
      });
    }

    await withTx(db, async (tx) => {
      const inserted = await insertEldersBulk(tx, elders);
      const idOf = new Map(inserted.map((r) => [r.id_number, r.id]));
      const records: Required<ElderRecordsBulk> = {
        circle: [],
        conditions: [],
        assessments: [],
        stays: [],
        contracts: [],
        medications: [],
        health: [],
      };
      const { circle, conditions, assessments, stays, contracts, medications: meds, health: cards } = records;
      elders.forEach((e, k) => {
        const elderId = idOf.get(e.id_number)!;
        const x = extras[k];
        const base = { elder_id: elderId, org_path: e.org_path };
        for (const [p, r] of x.relatives.entries()) {
          circle.push({
            ...base,
            kind: 'relative',
            name: r.name,
            relation: r.relation,
            phones: r.phones,
            priority: p + 1,
            lives_nearby: r.nearby,
          });
        }
        for (const c of x.conditions)
          conditions.push({
            ...base,
            name: c,
            diagnosed_on: `${REFERENCE_YEAR - 1 - (k % 15)}-0${(k % 9) + 1}-01`,
          });
        if (x.items) {
          const s = scoreAssessment({ items: x.items, ...x.factors });
          assessments.push({
            ...base,
            assessed_on: e.ability_assessed_on!,
            reason: k % 3 === 0 ? '首次' : '常规',
            items: x.items,
            factors: x.factors,
            assessor1: '社区评估员',
            assessor2: '街道评估员',
            total: s.total,
            dimensions: s.dimensions,
            base_level: s.baseLevel,
            level: s.level,
            adjusted: s.adjusted,
          });
        }
        if (x.stay)
          stays.push({
            ...base,
            hospital: HOSPITALS[k % HOSPITALS.length],
            reason: '住院治疗',
            admitted_on: e.status_since!,
          });
        if (x.doctorId)
          contracts.push({ ...base, doctor_id: x.doctorId, start_date: `${REFERENCE_YEAR - (k % 3)}-01-01` });
        for (let m = 0; m < x.meds && x.conditions.length > 0; m++) {
          const [name, dosage, schedule] = MEDICINES[(k + m) % MEDICINES.length];
          meds.push({ ...base, name, dosage, schedule });
        }
        if (x.greenCard)
          cards.push({
            ...base,
            green_card_no: `LS${pad(elderId, 8)}`,
            green_card_hospital: HOSPITALS[k % HOSPITALS.length],
          });
      });
      await insertElderRecordsBulk(tx, records);
    });
    bar.tick(start + n);
  }
  bar.done();
  // After a bulk load: fresh planner statistics, and the GIN pending lists merged (a phone-tail lookup
  // at 1M elders took 66 ms before and 0.1 ms after). VACUUM cannot run inside a transaction.
  await db.execute(sql`VACUUM (ANALYZE) elders, circle_contacts, doctor_contracts, ability_assessments`);
  return { elders: total };
}
