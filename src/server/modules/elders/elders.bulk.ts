import { sql } from 'drizzle-orm';
import type { ElderImportRecord } from '../../../shared/elders.ts';
import { pinyinKeys } from '../../../shared/pinyin.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { type Executor, rows, type Tx } from '../../platform/db.ts';
import { inScope, pathInScope } from '../../platform/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getOrgsByIds } from '../orgs/orgs.service.ts';
import { existingIdNumbers } from './elders.repo.ts';
import { circleContacts, elders } from './elders.schema.ts';
import { normalisePhones, searchTails } from './elders.view.ts';

const CHUNK = 2000;

/** Which of these (normalised, 18-character) ID numbers are registered already. */
export async function findExistingIdNumbers(db: Executor, idNumbers: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < idNumbers.length; i += 10_000) {
    for (const n of await existingIdNumbers(db, idNumbers.slice(i, i + 10_000))) out.add(n);
  }
  return out;
}

/**
 * ID numbers already registered to an elder the caller may not edit (another street's elder): an
 * import must not move them into the caller's community. Reported by the import as row errors.
 */
export async function findIdNumbersOutsideScope(
  ex: Executor,
  ctx: Ctx,
  idNumbers: string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < idNumbers.length; i += 10_000) {
    const found = await rows<{ id_number: string }>(
      ex,
      sql`SELECT id_number FROM ${elders}
          WHERE id_number = ANY(${sql.param(idNumbers.slice(i, i + 10_000))}::text[])
            AND NOT coalesce(${inScope(ctx.auth, elders.orgPath)} OR ${inScope(ctx.auth, elders.affiliationPath)}, false)`,
    );
    for (const r of found) out.add(r.id_number);
  }
  return out;
}

/**
 * The import's commit, in the caller's transaction: INSERT … ON CONFLICT (id_number) DO UPDATE per
 * chunk, so importing the same file twice creates nothing and changes nothing (rows whose values are
 * unchanged are not rewritten and not counted). Blank cells never wipe what the registry holds; tags and
 * categories are merged. An emergency contact becomes the elder's first relative, once.
 */
export async function upsertEldersByIdNumber(
  tx: Tx,
  ctx: Ctx,
  records: ElderImportRecord[],
): Promise<{ created: number; updated: number }> {
  requireAccess(ctx, 'elders.write');
  if (records.length === 0) return { created: 0, updated: 0 };
  const byId = new Map<string, ElderImportRecord>();
  for (const r of records) byId.set(r.idNumber, r); // a later row of the same person wins
  const list = [...byId.values()];

  const orgIds = [...new Set(list.flatMap((r) => [r.orgId, ...(r.affiliationId ? [r.affiliationId] : [])]))];
  const orgs = new Map((await getOrgsByIds(tx, orgIds)).map((o) => [o.id, o]));
  const bad = list.find((r) => {
    const o = orgs.get(r.orgId);
    const a = r.affiliationId ? orgs.get(r.affiliationId) : null;
    if (!o) return true;
    return (
      o.tree !== 'geo' ||
      !['community', 'grid'].includes(o.kind) ||
      !pathInScope(ctx.auth, o.path) ||
      (r.affiliationId != null && (a?.tree !== 'affiliation' || !pathInScope(ctx.auth, a.path)))
    );
  });
  if (bad) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      {
        field: 'orgId',
        message: `${bad.name}（${bad.idNumber.slice(-4)}）的社区/网格或原单位不存在或不在您的管辖范围内`,
        messageEn: 'A community/grid or affiliation does not exist or is outside your scope',
      },
    ]);
  }

  const outside = await findIdNumbersOutsideScope(
    tx,
    ctx,
    list.map((r) => r.idNumber),
  );
  if (outside.size > 0) {
    throw new AppError(
      'CONFLICT',
      {
        zh: `${outside.size} 个身份证号已登记在您管辖范围之外，不能导入或迁移`,
        en: `${outside.size} ID numbers are registered outside your scope and cannot be imported or moved`,
      },
      [...outside].map((id) => ({
        field: 'idNumber',
        message: `${id.slice(0, 6)}********${id.slice(-4)} 已由其他辖区登记`,
      })),
    );
  }

  let created = 0;
  let updated = 0;
  for (let i = 0; i < list.length; i += CHUNK) {
    const part = list.slice(i, i + CHUNK);
    const payload = part.map((r) => {
      const o = orgs.get(r.orgId)!;
      const a = r.affiliationId ? orgs.get(r.affiliationId)! : null;
      const keys = pinyinKeys(r.name);
      const phones = normalisePhones(r.phones);
      return {
        org_id: o.id,
        org_path: o.path,
        affiliation_id: a?.id ?? null,
        affiliation_path: a?.path ?? null,
        name: r.name,
        name_pinyin: keys.full,
        name_initials: keys.initials,
        gender: r.gender,
        id_number: r.idNumber,
        birth_date: r.birthDate,
        phones,
        search_tails: searchTails(r.idNumber, phones),
        address: r.address ?? null,
        building: r.building ?? null,
        unit: r.unit ?? null,
        room: r.room ?? null,
        categories: [...new Set(r.categories)],
        living_situation: r.livingSituation ?? null,
        tags: [...new Set(r.tags ?? [])],
      };
    });
    const result = await rows<{ id: number; org_path: string; inserted: boolean }>(
      tx,
      sql`INSERT INTO ${elders} (org_id, org_path, affiliation_id, affiliation_path, name, name_pinyin,
            name_initials, gender, id_number, birth_date, phones, search_tails, address, building, unit, room,
            categories, living_situation, tags, status, status_since, created_by)
          SELECT x.org_id, x.org_path, x.affiliation_id, x.affiliation_path, x.name, x.name_pinyin,
            x.name_initials, x.gender, x.id_number, x.birth_date, x.phones, x.search_tails, x.address,
            x.building, x.unit, x.room, x.categories, x.living_situation, x.tags, 'active',
            (now() AT TIME ZONE 'Asia/Shanghai')::date, ${ctx.auth.userId}::bigint
          FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(org_id bigint, org_path text,
            affiliation_id bigint, affiliation_path text, name text, name_pinyin text, name_initials text,
            gender text, id_number text, birth_date date, phones text[], search_tails text[], address text,
            building text, unit text, room text, categories text[], living_situation text, tags text[])
          ON CONFLICT (id_number) DO UPDATE SET
            org_id = EXCLUDED.org_id, org_path = EXCLUDED.org_path,
            affiliation_id = coalesce(EXCLUDED.affiliation_id, elders.affiliation_id),
            affiliation_path = coalesce(EXCLUDED.affiliation_path, elders.affiliation_path),
            name = EXCLUDED.name, name_pinyin = EXCLUDED.name_pinyin, name_initials = EXCLUDED.name_initials,
            gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date,
            phones = CASE WHEN cardinality(EXCLUDED.phones) > 0 THEN EXCLUDED.phones ELSE elders.phones END,
            search_tails = CASE WHEN cardinality(EXCLUDED.phones) > 0 THEN EXCLUDED.search_tails
              ELSE elders.search_tails END,
            address = coalesce(EXCLUDED.address, elders.address),
            building = coalesce(EXCLUDED.building, elders.building),
            unit = coalesce(EXCLUDED.unit, elders.unit),
            room = coalesce(EXCLUDED.room, elders.room),
            categories = ARRAY(SELECT DISTINCT unnest(elders.categories || EXCLUDED.categories) ORDER BY 1),
            living_situation = coalesce(EXCLUDED.living_situation, elders.living_situation),
            tags = ARRAY(SELECT DISTINCT unnest(elders.tags || EXCLUDED.tags) ORDER BY 1),
            updated_at = now()
          WHERE (elders.org_id, elders.name, elders.gender, elders.birth_date) IS DISTINCT FROM
              (EXCLUDED.org_id, EXCLUDED.name, EXCLUDED.gender, EXCLUDED.birth_date)
            OR (EXCLUDED.affiliation_id IS NOT NULL AND elders.affiliation_id IS DISTINCT FROM EXCLUDED.affiliation_id)
            OR (cardinality(EXCLUDED.phones) > 0 AND elders.phones IS DISTINCT FROM EXCLUDED.phones)
            OR (EXCLUDED.address IS NOT NULL AND elders.address IS DISTINCT FROM EXCLUDED.address)
            OR (EXCLUDED.building IS NOT NULL AND elders.building IS DISTINCT FROM EXCLUDED.building)
            OR (EXCLUDED.unit IS NOT NULL AND elders.unit IS DISTINCT FROM EXCLUDED.unit)
            OR (EXCLUDED.room IS NOT NULL AND elders.room IS DISTINCT FROM EXCLUDED.room)
            OR (EXCLUDED.living_situation IS NOT NULL
              AND elders.living_situation IS DISTINCT FROM EXCLUDED.living_situation)
            OR NOT (elders.categories @> EXCLUDED.categories) OR NOT (elders.tags @> EXCLUDED.tags)
          RETURNING id, org_path, (xmax = 0) AS inserted`,
    );
    const changed = result.filter((r) => !r.inserted).map((r) => r.id);
    created += result.length - changed.length;
    updated += changed.length;
    if (changed.length > 0) {
      // an elder who moved takes the org key of all their rows along
      for (const t of [
        'circle_contacts',
        'elder_conditions',
        'hospital_stays',
        'doctor_contracts',
        'elder_health',
        'elder_medications',
        'ability_assessments',
      ]) {
        await tx.execute(sql`UPDATE ${sql.identifier(t)} c SET org_path = e.org_path FROM ${elders} e
          WHERE c.elder_id = e.id AND e.id = ANY(${sql.param(changed)}::bigint[]) AND c.org_path <> e.org_path`);
      }
    }
    await upsertEmergencyContacts(tx, part);
    const byPath = new Map<string, number[]>();
    for (const r of result) byPath.set(r.org_path, [...(byPath.get(r.org_path) ?? []), r.id]);
    for (const [orgPath, ids] of byPath) {
      await recordAudit(tx, ctx, {
        action: 'elder.import',
        entity: 'elder',
        orgPath,
        details: { elderIds: ids, count: ids.length },
      });
    }
  }
  return { created, updated };
}

/** The roster's emergency contact as the first relative (priority 0), matched by name: idempotent. */
async function upsertEmergencyContacts(tx: Tx, part: ElderImportRecord[]) {
  const withContact = part.filter((r) => r.emergencyContact?.name?.trim());
  if (withContact.length === 0) return;
  const payload = JSON.stringify(
    withContact.map((r) => ({
      id_number: r.idNumber,
      name: r.emergencyContact!.name.trim(),
      relation: r.emergencyContact!.relation ?? null,
      phones: normalisePhones(r.emergencyContact!.phones ?? []),
    })),
  );
  const src = sql`(SELECT e.id AS elder_id, e.org_path, x.name, x.relation, x.phones
    FROM jsonb_to_recordset(${payload}::jsonb) AS x(id_number text, name text, relation text, phones text[])
    JOIN ${elders} e ON e.id_number = x.id_number)`;
  await tx.execute(sql`UPDATE ${circleContacts} c SET
      relation = coalesce(s.relation, c.relation),
      phones = CASE WHEN cardinality(s.phones) > 0 THEN s.phones ELSE c.phones END,
      updated_at = now()
    FROM ${src} s
    WHERE c.elder_id = s.elder_id AND c.kind = 'relative' AND c.name = s.name
      AND ((s.relation IS NOT NULL AND c.relation IS DISTINCT FROM s.relation)
        OR (cardinality(s.phones) > 0 AND c.phones IS DISTINCT FROM s.phones))`);
  await tx.execute(sql`INSERT INTO ${circleContacts} (elder_id, org_path, kind, name, relation, phones, priority)
    SELECT s.elder_id, s.org_path, 'relative', s.name, s.relation, s.phones, 0 FROM ${src} s
    WHERE NOT EXISTS (SELECT 1 FROM ${circleContacts} c
      WHERE c.elder_id = s.elder_id AND c.kind = 'relative' AND c.name = s.name)`);
}
