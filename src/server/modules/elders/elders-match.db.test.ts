import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeTree, type TestApp, type TestTree } from '../../../../test/helpers.ts';
import type { Condition } from '../../../shared/care.ts';
import type { Ctx } from '../../platform/auth.ts';
import { rows } from '../../platform/db.ts';
import { countEldersMatching, eldersMatching, listEldersMatching } from './elders.match.ts';

// The condition language of policy rules picks target populations for any module (entitlements,
// campaigns): the whole registry as a subquery, or within the caller's scope.

let t: TestApp;
let tree: TestTree;
const today = '2026-11-22';
let seq = 0;

async function elder(
  org: { id: number; path: string },
  e: { birthDate: string; living?: string; status?: string },
): Promise<number> {
  seq++;
  const [r] = await rows<{ id: number }>(
    t.database.db,
    sql`INSERT INTO elders (org_id, org_path, name, name_pinyin, name_initials, gender, id_number, birth_date,
          phones, living_situation, status)
        VALUES (${org.id}, ${org.path}, ${`匹配老人${seq}`}, 'pipei', 'pp', 'F', ${`M${String(seq).padStart(17, '0')}`},
          ${e.birthDate}, '{}'::text[], ${e.living ?? null}, ${e.status ?? 'active'})
        RETURNING id`,
  );
  return r.id;
}

const coordinatorOf = (org: { id: number; name: string; kind: string; path: string }): Ctx => ({
  auth: {
    userId: 1,
    username: 'c',
    displayName: 'c',
    role: 'coordinator',
    carerKind: null,
    scopes: [{ id: org.id, name: org.name, kind: org.kind, path: org.path }],
    csrfToken: '',
    sessionHash: '',
  },
  ip: '127.0.0.1',
  lang: 'zh',
});

const aloneOver80: Condition = {
  all: [
    { field: 'age', op: 'gte', value: 80 },
    { field: 'livingSituation', op: 'in', values: ['独居', '孤老'] },
  ],
};

const ids: Record<string, number> = {};
beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  ids.a80alone = await elder(tree.communityA1, { birthDate: '1946-11-22', living: '独居' });
  ids.a79alone = await elder(tree.communityA1, { birthDate: '1946-11-23', living: '独居' });
  ids.a90family = await elder(tree.gridA1, { birthDate: '1936-01-01', living: '与子女同住' });
  ids.aDeceased = await elder(tree.communityA1, {
    birthDate: '1930-01-01',
    living: '独居',
    status: 'deceased',
  });
  ids.b85alone = await elder(tree.communityB1, { birthDate: '1941-03-03', living: '孤老' });
});
afterAll(() => t.close());

describe('elders matching a rule condition', () => {
  it('as a subquery over the whole registry: age on the day, living situation, closed elders left out', async () => {
    const found = await rows<{ id: number }>(
      t.database.db,
      sql`${eldersMatching(aloneOver80, today)} ORDER BY 1`,
    );
    expect(found.map((r) => r.id)).toEqual([ids.a80alone, ids.b85alone]);
  });

  it('counted and listed within the caller’s scope only', async () => {
    const streetA = coordinatorOf(tree.streetA);
    expect(await countEldersMatching(t.database.db, streetA, aloneOver80, today)).toBe(1);
    expect(await countEldersMatching(t.database.db, coordinatorOf(tree.district), aloneOver80, today)).toBe(
      2,
    );
    const everyone: Condition = { always: true };
    expect(await countEldersMatching(t.database.db, streetA, everyone, today)).toBe(3);
    const first = await listEldersMatching(t.database.db, streetA, everyone, today, { limit: 2 });
    expect(first.map((e) => e.id)).toEqual([ids.a80alone, ids.a79alone]);
    expect(first[0]).toMatchObject({ orgId: tree.communityA1.id, orgPath: tree.communityA1.path });
    const next = await listEldersMatching(t.database.db, streetA, everyone, today, {
      limit: 2,
      afterId: first[1].id,
    });
    expect(next.map((e) => e.id)).toEqual([ids.a90family]);
  });

  it('a carer sees only paired elders, a provider none', async () => {
    const carer = coordinatorOf(tree.streetA);
    carer.auth.role = 'carer';
    expect(await countEldersMatching(t.database.db, carer, { always: true }, today)).toBe(0);
    const provider = coordinatorOf(tree.district);
    provider.auth.role = 'provider';
    expect(await countEldersMatching(t.database.db, provider, { always: true }, today)).toBe(0);
  });
});
