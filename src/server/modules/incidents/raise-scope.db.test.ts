import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElder } from '../../../../test/factories/incidents.ts';
import {
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { rows } from '../../platform/db.ts';

// Issue 16.4: raising an incident starts a ladder that messages the elder's circle and puts the
// elder on the console — a carer or doctor may do it only for elders they serve, staff only in scope.
let t: TestApp;
let tree: TestTree;

const incidentsOf = async (elderId: number) =>
  (
    await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM incidents WHERE elder_id = ${elderId}`,
    )
  )[0].n;
const auditsOf = async (userId: number) =>
  (
    await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE actor_id = ${userId} AND action LIKE 'incident.%'`,
    )
  )[0].n;

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
});
afterAll(() => t.close());

describe('who may raise an incident for an elder', () => {
  it('a carer raises only for elders paired with them: another elder of their own community is 404 naming elderId, nothing written', async () => {
    const carer = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const mine = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'carer', name: '志愿者', userId: carer.id, phone: '13900000081' }],
    });
    const notMine = await makeElder(t.database, tree.communityA1);
    const c = await signIn(t.app, carer.username);

    const refused = await c.post('/api/incidents', { elderId: notMine.id, kind: 'carer_concern' });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.details).toEqual([expect.objectContaining({ field: 'body.elderId' })]);
    expect(refused.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await incidentsOf(notMine.id)).toBe(0);
    expect(await auditsOf(carer.id)).toBe(0);

    const ok = await c.post('/api/incidents', { elderId: mine.id, kind: 'carer_concern', summary: '腿疼' });
    expect(ok.statusCode).toBe(201);
    expect(await incidentsOf(mine.id)).toBe(1);
  });

  it('a doctor raises only for elders with a running contract with them', async () => {
    const doctor = await makeUser(t.database, 'doctor', [tree.district.id]);
    const signed = await makeElder(t.database, tree.communityB1);
    const ended = await makeElder(t.database, tree.communityB1);
    const other = await makeElder(t.database, tree.communityB1);
    await t.database.db.execute(
      sql`INSERT INTO doctor_contracts (elder_id, org_path, doctor_id, start_date, end_date) VALUES
          (${signed.id}, ${tree.communityB1.path}, ${doctor.id}, '2020-01-01', NULL),
          (${ended.id}, ${tree.communityB1.path}, ${doctor.id}, '2020-01-01', '2021-01-01')`,
    );
    const d = await signIn(t.app, doctor.username);
    for (const e of [ended, other]) {
      const res = await d.post('/api/incidents', { elderId: e.id, kind: 'carer_concern' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.details[0].field).toBe('body.elderId');
      expect(await incidentsOf(e.id)).toBe(0);
    }
    expect(await auditsOf(doctor.id)).toBe(0);
    const ok = await d.post('/api/incidents', { elderId: signed.id, kind: 'carer_concern' });
    expect(ok.statusCode).toBe(201);
  });

  it('a coordinator or dispatcher raises only within scope; an unknown elder answers the same 404', async () => {
    const coord = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const disp = await makeUser(t.database, 'dispatcher', [tree.streetB.id]);
    const inA = await makeElder(t.database, tree.communityA1);
    const inB = await makeElder(t.database, tree.communityB1);
    const c = await signIn(t.app, coord.username);
    const d = await signIn(t.app, disp.username);

    const outside = await c.post('/api/incidents', { elderId: inB.id, kind: 'sos_hotline' });
    const unknown = await c.post('/api/incidents', { elderId: 999_999_999, kind: 'sos_hotline' });
    expect(outside.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(outside.json()).toEqual(unknown.json());
    expect(outside.json().error.details[0].field).toBe('body.elderId');
    const outsideD = await d.post('/api/incidents', { elderId: inA.id, kind: 'sos_hotline' });
    expect(outsideD.statusCode).toBe(404);
    expect(await incidentsOf(inA.id)).toBe(0);
    expect(await incidentsOf(inB.id)).toBe(0);

    expect((await c.post('/api/incidents', { elderId: inA.id, kind: 'sos_hotline' })).statusCode).toBe(201);
    expect((await d.post('/api/incidents', { elderId: inB.id, kind: 'sos_hotline' })).statusCode).toBe(201);
  });
});
