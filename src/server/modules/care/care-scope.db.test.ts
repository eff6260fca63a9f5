// Every account, elder and duty a care write names is checked against the caller's scope (issue 16.4):
// a coordinator of street A could put street B's carer on leave with their own carer as substitute
// (handing B's elders, phones and addresses, to that carer's worklist), pair an elder with another
// district's carer, and record a contact against another street's duty.
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
let coordA: Client;
let coordB: Client;
let manager: Client;
let carerA: Client;
const uid: Record<string, number> = {};
const ids: Record<string, number> = {};

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
let seq = 0;
const key = () => `scope-${++seq}-${Math.random().toString(36).slice(2, 10)}`;
const fields = (res: { json: () => { error: { details: { field: string; message: string }[] } } }) =>
  res.json().error.details.map((d) => [d.field, d.message]);
const assigneesOf = async (elderId: number) =>
  (
    await t.database.query<{ assignee_id: number }>(
      'SELECT DISTINCT assignee_id FROM duties WHERE elder_id = $1 AND active',
      [elderId],
    )
  ).map((r) => Number(r.assignee_id));

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-12-04 10:00'));
  tree = await makeTree(t.database);
  const other = await makeTree(t.database, '外');
  const sign = async (role: string, scope: number[], name: string) => {
    const u = await makeUser(t.database, role, scope);
    uid[name] = u.id;
    return signIn(t.app, u.username, u.password);
  };
  const admin = await sign('admin', [tree.city.id], 'admin');
  coordA = await sign('coordinator', [tree.streetA.id], 'coordA');
  coordB = await sign('coordinator', [tree.streetB.id], 'coordB');
  manager = await sign('manager', [tree.district.id], 'manager');
  carerA = await sign('carer', [tree.streetA.id], 'carerA');
  await sign('carer', [tree.streetA.id], 'carerA2');
  await sign('carer', [tree.streetB.id], 'carerB');
  await sign('carer', [other.district.id], 'carerElsewhere');
  await sign('carer', [tree.streetA.id, tree.streetB.id], 'carerBoth');
  const mk = async (c: Client, name: string, orgId: number, n: number) => {
    const res = await c.post('/api/elders', {
      name,
      phones: ['13812345678'],
      idNumber: makeIdNumber('330102', '1940-05-10', n),
      orgId,
      livingSituation: '独居',
      difficultyGroups: ['独居'],
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = res.json().id;
  };
  await mk(coordA, '甲街老人', tree.gridA1.id, 61);
  await mk(coordB, '乙街老人', tree.communityB1.id, 63);
  expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
  const pb = await coordB.post('/api/pairings', { carerId: uid.carerB, elderIds: [ids.乙街老人] });
  expect(pb.statusCode, pb.body).toBe(200);
  const pboth = await coordB.post('/api/pairings', { carerId: uid.carerBoth, elderIds: [ids.乙街老人] });
  expect(pboth.statusCode, pboth.body).toBe(200);
  const pa = await coordA.post('/api/pairings', { carerId: uid.carerA, elderIds: [ids.甲街老人] });
  expect(pa.statusCode, pa.body).toBe(200);
});
afterAll(() => t.close());

describe('pairings name only the caller’s carers and elders', () => {
  it('pairing with another district’s or another street’s carer is 404 naming carerId', async () => {
    for (const carer of ['carerElsewhere', 'carerB']) {
      const res = await coordA.post('/api/pairings', { carerId: uid[carer], elderIds: [ids.甲街老人] });
      expect(res.statusCode, res.body).toBe(404);
      expect(fields(res)).toEqual([['carerId', '找不到该关爱人员，或其不在您的管辖范围内']]);
    }
    expect(await assigneesOf(ids.甲街老人)).toEqual([uid.carerA]);
    // a carer who also works in the caller's street is theirs to pair
    const both = await coordA.post('/api/pairings', { carerId: uid.carerBoth, elderIds: [ids.甲街老人] });
    expect(both.statusCode, both.body).toBe(200);
    const un = await coordA.post('/api/pairings/remove', {
      carerId: uid.carerBoth,
      elderIds: [ids.甲街老人],
    });
    expect(un.statusCode, un.body).toBe(200);
  });

  it('an elder of another street in elderIds is 404 naming elderIds, and nothing is paired', async () => {
    const res = await coordA.post('/api/pairings', {
      carerId: uid.carerA2,
      elderIds: [ids.甲街老人, ids.乙街老人],
    });
    expect(res.statusCode, res.body).toBe(404);
    expect(fields(res)).toEqual([['elderIds', `找不到这些老人，或其不在您的管辖范围内：${ids.乙街老人}`]]);
    const n = await t.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM carer_pairings WHERE carer_id = $1',
      [uid.carerA2],
    );
    expect(n[0].n).toBe(0);
  });

  it('reassigning to another street’s carer is 404 naming toCarerId', async () => {
    const res = await coordA.post('/api/pairings/reassign', {
      fromCarerId: uid.carerA,
      toCarerId: uid.carerB,
    });
    expect(res.statusCode, res.body).toBe(404);
    expect(fields(res)).toEqual([['toCarerId', '找不到该接手的关爱人员，或其不在您的管辖范围内']]);
    expect(await assigneesOf(ids.甲街老人)).toEqual([uid.carerA]);
  });
});

describe('leave (代班) across scope', () => {
  const leave = (c: Client, carerId: number, substituteId: number) =>
    c.post('/api/pairings/leave', { carerId, substituteId, fromDate: '2026-12-04', toDate: '2026-12-10' });

  it('another street’s carer on leave with my carer as substitute is 404; their elders stay theirs', async () => {
    const res = await leave(coordA, uid.carerB, uid.carerA);
    expect(res.statusCode, res.body).toBe(404);
    expect(fields(res)).toEqual([['carerId', '找不到该关爱人员，或其不在您的管辖范围内']]);
    expect(await assigneesOf(ids.乙街老人)).toEqual([uid.carerB]);
    // nor does carer A's worklist show the other street's elder
    const list = (await carerA.get('/api/worklist')).json();
    expect([...list.overdue, ...list.today].map((i: { elderId: number }) => i.elderId)).not.toContain(
      ids.乙街老人,
    );
  });

  it('another street’s carer as substitute is 404 naming substituteId', async () => {
    const res = await leave(coordA, uid.carerA, uid.carerB);
    expect(res.statusCode, res.body).toBe(404);
    expect(fields(res)).toEqual([['substituteId', '找不到该代班人，或其不在您的管辖范围内']]);
    expect(await assigneesOf(ids.甲街老人)).toEqual([uid.carerA]);
  });

  it('a carer who also serves elders outside my scope: 403 for me, allowed to the manager above both', async () => {
    const res = await leave(coordA, uid.carerBoth, uid.carerA);
    expect(res.statusCode, res.body).toBe(403);
    expect(fields(res)).toEqual([['carerId', '该关爱人员还服务您管辖范围以外的老人，请由上级统一安排代班']]);
    expect(await assigneesOf(ids.乙街老人)).toEqual([uid.carerB]);
    const ok = await leave(manager, uid.carerA, uid.carerA2);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await assigneesOf(ids.甲街老人)).toEqual([uid.carerA2]);
  });
});

describe('contacts name only their elder’s duty', () => {
  it('a contact pointing at another street’s duty is 404 naming dutyId, and is not stored', async () => {
    const [foreign] = await t.database.query<{ id: number }>(
      'SELECT id FROM duties WHERE elder_id = $1 AND active ORDER BY id LIMIT 1',
      [ids.乙街老人],
    );
    for (const c of [carerA, coordA]) {
      const res = await c.request({
        method: 'POST',
        url: '/api/contacts',
        payload: {
          elderId: ids.甲街老人,
          dutyId: Number(foreign.id),
          channel: 'phone',
          outcome: 'reached_ok',
        },
        headers: { 'idempotency-key': key() },
      });
      expect(res.statusCode, res.body).toBe(404);
      expect(fields(res)).toEqual([['dutyId', '找不到该关爱职责，或它不是这位老人的']]);
    }
    const stored = await t.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM contacts WHERE duty_id = $1',
      [Number(foreign.id)],
    );
    expect(stored[0].n).toBe(0);
    // the elder of another street itself stays 404 as before
    const other = await coordA.request({
      method: 'POST',
      url: '/api/contacts',
      payload: { elderId: ids.乙街老人, channel: 'phone', outcome: 'reached_ok' },
      headers: { 'idempotency-key': key() },
    });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.message).toBe('找不到该服务对象');
  });
});
