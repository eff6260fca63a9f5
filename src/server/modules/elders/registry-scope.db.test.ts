// Every account and org a registry write names is checked against the caller's scope (issue 16.4): a
// coordinator of street A could contract another district's doctor for their elder, link another
// street's account into a circle, give an elder an affiliation (原单位) they do not manage, or move an
// elder into another street — each of which grants that account or those staff the elder's record.
// Out of scope answers 404 naming the field, exactly as an unknown id, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { makeIdNumber } from '../../../shared/id-number.ts';

let t: TestApp;
let tree: TestTree;
let other: TestTree;
let coordA: Client;
let coordAU: Client;
let manager: Client;
let adminB: Client;
const uid: Record<string, number> = {};
let elderId: number;

const fields = (res: { json: () => { error: { details: { field: string; message: string }[] } } }) =>
  res.json().error.details.map((d) => [d.field, d.message]);
const count = async (table: string, where = 'true', params: unknown[] = []) =>
  (await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]
    .n;
const audits = (action: string) => count('audit_log', 'action = $1', [action]);
let seq = 70;
const body = (over: Record<string, unknown> = {}) => ({
  name: '范围老人',
  phones: ['13812345678'],
  idNumber: makeIdNumber('330102', '1938-02-03', ++seq),
  orgId: tree.gridA1.id,
  livingSituation: '独居',
  difficultyGroups: ['独居'],
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  other = await makeTree(t.database, '外');
  const sign = async (role: string, scope: number[], name: string) => {
    const u = await makeUser(t.database, role, scope);
    uid[name] = u.id;
    return signIn(t.app, u.username, u.password);
  };
  coordA = await sign('coordinator', [tree.streetA.id], 'coordA');
  coordAU = await sign('coordinator', [tree.streetA.id, tree.unit.id], 'coordAU');
  manager = await sign('manager', [tree.district.id], 'manager');
  adminB = await sign('admin', [tree.streetB.id], 'adminB');
  await sign('doctor', [tree.streetA.id], 'doctorA');
  await sign('doctor', [tree.district.id], 'doctorDistrict');
  await sign('doctor', [tree.streetB.id], 'doctorB');
  await sign('doctor', [other.district.id], 'doctorElsewhere');
  await sign('carer', [tree.communityA1.id], 'carerA');
  await sign('carer', [tree.streetB.id], 'carerB');
  await sign('carer', [other.district.id], 'carerElsewhere');
  const res = await coordA.post('/api/elders', body({ name: '甲街老人' }));
  expect(res.statusCode, res.body).toBe(201);
  elderId = res.json().id;
});
afterAll(() => t.close());

describe('family-doctor contracts name a doctor serving where the elder lives', () => {
  const contract = (doctor: string) =>
    coordA.post(`/api/elders/${elderId}/doctor-contracts`, {
      doctorId: uid[doctor],
      startDate: '2026-01-01',
    });

  it('another district’s or another street’s doctor is 404 naming body.doctorId; nothing is written', async () => {
    for (const doctor of ['doctorElsewhere', 'doctorB', 'carerA']) {
      const res = await contract(doctor);
      expect(res.statusCode, res.body).toBe(404);
      expect(fields(res)).toEqual([['body.doctorId', '找不到该医生，或其不在您的管辖范围内']]);
    }
    expect(await count('doctor_contracts', 'elder_id = $1', [elderId])).toBe(0);
    expect(await audits('elder.doctor.contract')).toBe(0);
  });

  it('a doctor of the elder’s street or of the district above it is contracted', async () => {
    const a = await contract('doctorA');
    expect(a.statusCode, a.body).toBe(201);
    const d = await contract('doctorDistrict');
    expect(d.statusCode, d.body).toBe(201);
    expect(await count('doctor_contracts', 'elder_id = $1', [elderId])).toBe(2);
  });
});

describe('circle entries link only accounts the caller manages', () => {
  const add = (userId: number) =>
    coordA.post(`/api/elders/${elderId}/circle`, { kind: 'community_worker', name: '链接账号', userId });

  it('another street’s or district’s account is 404 naming body.userId; nothing is written', async () => {
    const before = await count('circle_contacts', 'elder_id = $1', [elderId]);
    for (const who of ['carerB', 'carerElsewhere']) {
      const res = await add(uid[who]);
      expect(res.statusCode, res.body).toBe(404);
      expect(fields(res)).toEqual([['body.userId', '找不到该账号，或其不在您的管辖范围内']]);
    }
    expect(await count('circle_contacts', 'elder_id = $1', [elderId])).toBe(before);
    expect(await audits('elder.circle.add')).toBe(0);
  });

  it('an account of the caller’s street is linked; relinking an entry to an outsider is 404', async () => {
    const res = await add(uid.carerA);
    expect(res.statusCode, res.body).toBe(201);
    const contactId = res.json().id;
    const bad = await coordA.patch(`/api/elders/${elderId}/circle/${contactId}`, {
      userId: uid.carerElsewhere,
    });
    expect(bad.statusCode, bad.body).toBe(404);
    expect(fields(bad)).toEqual([['body.userId', '找不到该账号，或其不在您的管辖范围内']]);
    const [row] = await t.database.query<{ user_id: number }>(
      'SELECT user_id FROM circle_contacts WHERE id = $1',
      [contactId],
    );
    expect(Number(row.user_id)).toBe(uid.carerA);
    // an edit that keeps the link is fine
    const ok = await coordA.patch(`/api/elders/${elderId}/circle/${contactId}`, { note: '楼组长' });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('an elder’s community/grid and affiliation lie in the caller’s scope', () => {
  it('registering into another street’s community is 404 naming body.orgId; no elder, no audit', async () => {
    const b = body({ orgId: tree.communityB1.id });
    const res = await coordA.post('/api/elders', b);
    expect(res.statusCode, res.body).toBe(404);
    expect(fields(res)).toEqual([['body.orgId', '找不到该社区/网格，或其不在您的管辖范围内']]);
    expect(await count('elders', 'id_number = $1', [b.idNumber])).toBe(0);
    expect(await audits('elder.create')).toBe(1);
  });

  it('an affiliation outside the caller’s scope is 404 naming body.affiliationId', async () => {
    for (const unit of [tree.unit.id, other.unit.id]) {
      const b = body({ affiliationId: unit });
      const res = await coordA.post('/api/elders', b);
      expect(res.statusCode, res.body).toBe(404);
      expect(fields(res)).toEqual([['body.affiliationId', '找不到该原单位，或其不在您的管辖范围内']]);
      expect(await count('elders', 'id_number = $1', [b.idNumber])).toBe(0);
    }
    const theirs = await coordAU.post('/api/elders', body({ affiliationId: other.unit.id }));
    expect(theirs.statusCode, theirs.body).toBe(404);
    // a coordinator who also holds the unit gives it
    const ok = await coordAU.post('/api/elders', body({ name: '大学退休老人', affiliationId: tree.unit.id }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().affiliation).toEqual({ id: tree.unit.id, name: '测试大学' });
    // and coordinator A may still edit that elder (who lives in street A) without touching the unit
    const edit = await coordA.patch(`/api/elders/${ok.json().id}`, { orgId: tree.communityA1.id });
    expect(edit.statusCode, edit.body).toBe(200);
  });

  it('moving an elder into another street, or giving them a foreign affiliation, is 404; nothing changes', async () => {
    const audited = await audits('elder.update');
    const move = await coordA.patch(`/api/elders/${elderId}`, { orgId: tree.communityB1.id });
    expect(move.statusCode, move.body).toBe(404);
    expect(fields(move)).toEqual([['body.orgId', '找不到该社区/网格，或其不在您的管辖范围内']]);
    const aff = await coordA.patch(`/api/elders/${elderId}`, { affiliationId: tree.unit.id });
    expect(aff.statusCode, aff.body).toBe(404);
    expect(fields(aff)).toEqual([['body.affiliationId', '找不到该原单位，或其不在您的管辖范围内']]);
    const [row] = await t.database.query<{ org_id: number; affiliation_id: number | null }>(
      'SELECT org_id, affiliation_id FROM elders WHERE id = $1',
      [elderId],
    );
    expect([Number(row.org_id), row.affiliation_id]).toEqual([tree.gridA1.id, null]);
    expect(await audits('elder.update')).toBe(audited);
    // the district's manager holds both streets and moves the elder
    const ok = await manager.patch(`/api/elders/${elderId}`, { orgId: tree.communityB1.id });
    expect(ok.statusCode, ok.body).toBe(200);
    const back = await manager.patch(`/api/elders/${elderId}`, { orgId: tree.gridA1.id });
    expect(back.statusCode, back.body).toBe(200);
  });
});

describe('org writes stay within the admin’s nodes', () => {
  it('a node under a parent outside scope is 404 naming parentId; inside scope it is created', async () => {
    const res = await adminB.post('/api/orgs', {
      tree: 'geo',
      kind: 'grid',
      parentId: tree.communityA1.id,
      name: '越权网格',
    });
    expect(res.statusCode, res.body).toBe(404);
    expect(fields(res)).toEqual([['parentId', '找不到该上级节点，或其不在您的管辖范围内']]);
    expect(await count('orgs', "name = '越权网格'")).toBe(0);
    const ok = await adminB.post('/api/orgs', {
      tree: 'geo',
      kind: 'grid',
      parentId: tree.communityB1.id,
      name: '乙一第1网格',
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('renaming another street’s node is 404 and leaves it as it was; their own is renamed', async () => {
    const res = await adminB.patch(`/api/orgs/${tree.communityA1.id}`, { name: '改名' });
    expect(res.statusCode, res.body).toBe(404);
    expect(await count('orgs', 'id = $1 AND name = $2', [tree.communityA1.id, '甲一社区'])).toBe(1);
    const ok = await adminB.patch(`/api/orgs/${tree.communityB1.id}`, { name: '乙一社区（新）' });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
