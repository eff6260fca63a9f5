import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElder } from '../../../../test/factories/incidents.ts';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { insertOrgsBulk, type OrgRow } from '../orgs/orgs.service.ts';

// Devices follow the registry's rule (elders.access): an elder is in a user's scope when the scope
// covers the elder's community/grid OR the elder's affiliation (原单位). A 离退休干部处 that looks after
// its retirees manages their one-key phones although they live in another street's community.

let t: TestApp;
let tree: TestTree;
let office: OrgRow;
let officeCoordinator: Client;
let officeDispatcher: Client;
let streetA: Client;
let elderId: number;

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  [office] = await insertOrgsBulk(t.database.db, [
    {
      tree: 'affiliation',
      kind: 'unit',
      parentId: tree.unit.id,
      parentPath: tree.unit.path,
      name: '离退休干部处',
    },
  ]);
  const user = async (role: string, orgId: number) =>
    signIn(t.app, (await makeUser(t.database, role, [orgId])).username);
  officeCoordinator = await user('coordinator', office.id);
  officeDispatcher = await user('dispatcher', office.id);
  streetA = await user('coordinator', tree.streetA.id);
  // lives in 乙一社区 (street B), retired from the office
  elderId = (await makeElder(t.database, tree.communityB1)).id;
  await t.database.db.execute(
    sql`UPDATE elders SET affiliation_id = ${office.id}, affiliation_path = ${office.path} WHERE id = ${elderId}`,
  );
});
afterAll(() => t.close());

describe('devices of an elder seen through their affiliation', () => {
  it('the affiliation’s staff register, list and deactivate the device; another street gets 404', async () => {
    const reg = await officeCoordinator.post('/api/devices', {
      elderId,
      kind: 'one_key_phone',
      label: '一键通',
    });
    expect(reg.statusCode).toBe(201);
    const id = (reg.json() as { device: { id: string } }).device.id;

    for (const c of [officeCoordinator, officeDispatcher]) {
      const list = await c.get(`/api/devices?elderId=${elderId}`);
      expect(list.statusCode).toBe(200);
      expect((list.json() as { items: { id: string }[] }).items.map((d) => d.id)).toEqual([id]);
    }

    const foreign = await streetA.post('/api/devices', { elderId, kind: 'wearable' });
    expect(foreign.statusCode).toBe(404);
    const foreignList = await streetA.get(`/api/devices?elderId=${elderId}`);
    expect(foreignList.statusCode).toBe(200);
    expect(foreignList.json().items).toEqual([]);
    expect((await streetA.del(`/api/devices/${id}`)).statusCode).toBe(404);

    expect((await officeCoordinator.del(`/api/devices/${id}`)).statusCode).toBe(200);
    const after = await officeCoordinator.get(`/api/devices?elderId=${elderId}`);
    expect(after.json().items).toMatchObject([{ id, active: false }]);
  });

  it('a dispatcher may list but not register or deactivate (403)', async () => {
    const res = await officeDispatcher.post('/api/devices', { elderId, kind: 'wearable' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });
});
