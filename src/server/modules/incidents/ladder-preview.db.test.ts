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

// Issue 11.4: the circle is "who gets called, in order" — the circle panel shows the contracted family
// doctor beside the circle and what a one-key SOS (or another kind) would really set off, rung by rung.
let t: TestApp;
let tree: TestTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
});
afterAll(() => t.close());

async function contract(elderId: number, doctorId: number, end: string | null = null, orgPath?: string) {
  await t.database.db.execute(
    sql`INSERT INTO doctor_contracts (elder_id, org_path, doctor_id, start_date, end_date)
        VALUES (${elderId}, ${orgPath ?? tree.communityA1.path}, ${doctorId}, '2020-01-01', ${end})`,
  );
}

describe('the circle panel: family doctor and call order', () => {
  it('the circle answer names the family doctor under a running contract, phone masked; an ended contract is not there', async () => {
    const doctor = await makeUser(t.database, 'doctor', [tree.district.id]);
    await t.database.db.execute(sql`UPDATE users SET phone = '13911112222' WHERE id = ${doctor.id}`);
    const former = await makeUser(t.database, 'doctor', [tree.district.id]);
    const elder = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '李女儿', relation: '女儿', phone: '13800002222' }],
    });
    await contract(elder.id, doctor.id, '2099-12-31');
    await contract(elder.id, former.id, '2021-01-01');
    const coordinator = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const c = await signIn(t.app, coordinator.username);

    const res = await c.get(`/api/elders/${elder.id}/circle`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { name: string }) => i.name)).toEqual(['李女儿']);
    expect(res.json().familyDoctors).toEqual([
      { id: doctor.id, name: doctor.displayName, phone: '139****2222', endDate: '2099-12-31' },
    ]);
  });

  it('the SOS order follows the ladder: the circle by name, the doctor on the rung that calls doctors, empty rungs shown empty', async () => {
    const doctor = await makeUser(t.database, 'doctor', [tree.district.id]);
    // (乙街道, where no coordinator is yet)
    const elder = await makeElder(t.database, tree.communityB1, {
      circle: [
        { kind: 'relative', name: '王儿子', relation: '儿子', phone: '13800003333' },
        { kind: 'relative', name: '王女儿', relation: '女儿', phone: '13800004444' },
        { kind: 'relative', name: '王侄子', relation: '侄子', phone: '13800005555' },
      ],
    });
    await contract(elder.id, doctor.id, null, tree.communityB1.path);
    const dispatcher = await makeUser(t.database, 'dispatcher', [tree.district.id]);
    const d = await signIn(t.app, dispatcher.username);

    const sos = await d.get(`/api/incidents/ladder-preview?elderId=${elder.id}`);
    expect(sos.statusCode).toBe(200);
    expect(sos.json().kind).toBe('sos_device');
    const steps = sos.json().steps as {
      whom: string;
      recipients: string[];
      emergencyNumber: string | null;
    }[];
    expect(steps.map((s) => s.whom)).toEqual([
      'dispatcher_on_duty',
      'circle',
      'community_worker',
      'unit_contact',
      'supervisor',
      'emergency_services',
    ]);
    const circle = steps.find((s) => s.whom === 'circle')!;
    expect(circle.recipients.join(' ')).toContain('王儿子');
    expect(circle.recipients.join(' ')).toContain('王女儿');
    // the rung calls the first two of the circle, as it fires: the third is not promised
    expect(circle.recipients.join(' ')).not.toContain('王侄子');
    // no community worker in this elder's circle and no coordinator covering the community: the rung
    // is shown empty (it is skipped when it fires)
    expect(steps.find((s) => s.whom === 'community_worker')!.recipients).toEqual([]);
    expect(steps.at(-1)).toMatchObject({ whom: 'emergency_services', emergencyNumber: '120' });

    // a fall calls the family doctor on its own rung
    const fall = await d.get(`/api/incidents/ladder-preview?elderId=${elder.id}&kind=fall`);
    expect(fall.statusCode).toBe(200);
    const rung = fall.json().steps.find((s: { whom: string }) => s.whom === 'family_doctor');
    expect(rung.recipients.join(' ')).toContain(doctor.displayName);
  });

  it('the 社区工作者 rung: the circle’s community worker, else the coordinators covering the community, nearest first', async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const street = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const own = await makeUser(t.database, 'coordinator', [tree.communityA1.id]);
    const other = await makeUser(t.database, 'coordinator', [tree.streetB.id]);
    const gone = await makeUser(t.database, 'coordinator', [tree.communityA1.id]);
    await t.database.db.execute(sql`UPDATE users SET active = false WHERE id = ${gone.id}`);
    const dispatcher = await makeUser(t.database, 'dispatcher', [tree.district.id]);
    const d = await signIn(t.app, dispatcher.username);
    const rung = async (elderId: number) =>
      (await d.get(`/api/incidents/ladder-preview?elderId=${elderId}`))
        .json()
        .steps.find((s: { whom: string }) => s.whom === 'community_worker').recipients as string[];
    // the community's own worker before the street's (at most three); another street's and an
    // inactive one never
    const workers = await rung(elder.id);
    expect(workers[0]).toBe(own.displayName);
    expect(workers).toContain(street.displayName);
    expect(workers.length).toBeLessThanOrEqual(3);
    expect(workers).not.toContain(other.displayName);
    expect(workers).not.toContain(gone.displayName);

    // a community worker named in the circle is the one called
    const named = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'community_worker', name: '周社工', phone: '13900007777' }],
    });
    expect((await rung(named.id)).join(' ')).toContain('周社工');
    expect(await rung(named.id)).not.toContain(own.displayName);
  });

  it('outside the caller scope it is 404 naming elderId; a carer may not read it; a bad kind is 400', async () => {
    const elder = await makeElder(t.database, tree.communityB1);
    const coordinatorA = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const a = await signIn(t.app, coordinatorA.username);
    const out = await a.get(`/api/incidents/ladder-preview?elderId=${elder.id}`);
    expect(out.statusCode).toBe(404);
    expect(out.json().error.details[0].field).toBe('query.elderId');
    expect(out.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    const unknown = await a.get('/api/incidents/ladder-preview?elderId=99999999');
    expect(unknown.statusCode).toBe(404);

    const carer = await makeUser(t.database, 'carer', [tree.communityB1.id]);
    const c = await signIn(t.app, carer.username);
    expect((await c.get(`/api/incidents/ladder-preview?elderId=${elder.id}`)).statusCode).toBe(403);

    const b = await signIn(t.app, (await makeUser(t.database, 'coordinator', [tree.streetB.id])).username);
    const bad = await b.get(`/api/incidents/ladder-preview?elderId=${elder.id}&kind=nonsense`);
    expect(bad.statusCode).toBe(400);
    expect((await b.get(`/api/incidents/ladder-preview?elderId=${elder.id}`)).statusCode).toBe(200);
  });
});
