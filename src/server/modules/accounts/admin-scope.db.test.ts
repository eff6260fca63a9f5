// What an administrator scoped to a street may do (issue 16.4, decision 0013): act within their nodes
// like any staff — accounts, password resets and unlocks, the audit log, org nodes —, while city-wide
// configuration (escalation ladders, duty templates and rules, holidays, re-plan) needs an admin whose
// scope holds the city, the root of the geo tree.
import ExcelJS from 'exceljs';
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
let cityAdmin: Client;
let streetAdmin: Client;
let coordA: Client;
const uid: Record<string, number> = {};
const PASSWORD = 'Harbour-Lantern-2048';

const count = async (table: string, where = 'true', params: unknown[] = []) =>
  (await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]
    .n;
const CITY_ONLY = '全市配置（呼叫梯队、职责模板与规则、节假日、重新排班）须由管辖全市的管理员修改';

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const sign = async (role: string, scope: number[], name: string) => {
    const u = await makeUser(t.database, role, scope);
    uid[name] = u.id;
    return signIn(t.app, u.username, u.password);
  };
  cityAdmin = await sign('admin', [tree.city.id], 'cityAdmin');
  streetAdmin = await sign('admin', [tree.streetA.id], 'streetAdmin');
  coordA = await sign('coordinator', [tree.streetA.id], 'coordA');
  const coordB = await sign('coordinator', [tree.streetB.id], 'coordB');
  await sign('carer', [tree.communityA1.id], 'carerA');
  await sign('carer', [tree.communityB1.id], 'carerB');
  await sign('carer', [tree.streetA.id, tree.streetB.id], 'carerBoth');
  const mk = async (c: Client, name: string, orgId: number, n: number) => {
    const res = await c.post('/api/elders', {
      name,
      phones: ['13812345678'],
      idNumber: makeIdNumber('330102', '1939-04-05', n),
      orgId,
      livingSituation: '独居',
      difficultyGroups: ['独居'],
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  await mk(coordA, '甲街审计老人', tree.gridA1.id, 81);
  await mk(coordB, '乙街审计老人', tree.communityB1.id, 83);
});
afterAll(() => t.close());

describe('city-wide configuration needs an admin of the whole city', () => {
  it('a street admin gets 403 with a Chinese reason for ladders, templates, rules, holidays and re-plan', async () => {
    const ladder = (await cityAdmin.get('/api/ladders/fall')).json();
    const { kind: _k, updatedAt: _u, ...ladderBody } = ladder;
    const policy = (await cityAdmin.get('/api/care/policy')).json();
    const templateId = policy.templates[0].id;
    const rule = policy.rules[0];
    const rulesBefore = JSON.stringify(policy.rules);
    const before = await count('audit_log', "action LIKE 'care.%' OR action LIKE 'ladder.%'");
    const tries = [
      await streetAdmin.request({ method: 'PUT', url: '/api/ladders/fall', payload: ladderBody }),
      await streetAdmin.patch(`/api/care/templates/${templateId}`, { name: '街道自改' }),
      // the policy rules: a new one, and a change of an existing one's condition or switch
      await streetAdmin.post('/api/care/rules', {
        key: 'street_own_rule',
        name: '街道自加规则',
        templateId,
        condition: { always: true },
      }),
      await streetAdmin.patch(`/api/care/rules/${rule.id}`, { condition: { always: true } }),
      await streetAdmin.patch(`/api/care/rules/${rule.id}`, { active: !rule.active }),
      await streetAdmin.request({
        method: 'PUT',
        url: '/api/care/holidays',
        payload: { holiday: 'spring_festival', year: 2027, date: '2027-02-06' },
      }),
      await streetAdmin.post('/api/care/replan'),
    ];
    for (const res of tries) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.message).toBe(CITY_ONLY);
    }
    expect(await count('audit_log', "action LIKE 'care.%' OR action LIKE 'ladder.%'")).toBe(before);
    expect(JSON.stringify((await cityAdmin.get('/api/care/policy')).json().rules)).toBe(rulesBefore);
    // the city's admin changes them
    const put = await cityAdmin.request({ method: 'PUT', url: '/api/ladders/fall', payload: ladderBody });
    expect(put.statusCode, put.body).toBe(200);
    expect((await cityAdmin.post('/api/care/replan')).statusCode).toBe(200);
  });
});

describe('accounts: a street admin manages the accounts of their street only', () => {
  it('resets the password of and unlocks an account of their street', async () => {
    const res = await streetAdmin.patch(`/api/accounts/${uid.carerA}`, { password: PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    const unlock = await streetAdmin.patch(`/api/accounts/${uid.carerA}`, { unlock: true });
    expect(unlock.statusCode, unlock.body).toBe(200);
  });

  it('another street’s account is 404; one that also serves another street is 403; nothing written', async () => {
    const audited = await count('audit_log', "action IN ('account.update', 'account.unlock')");
    const b = await streetAdmin.patch(`/api/accounts/${uid.carerB}`, { password: PASSWORD });
    expect(b.statusCode, b.body).toBe(404);
    const both = await streetAdmin.patch(`/api/accounts/${uid.carerBoth}`, {
      scopeOrgIds: [tree.streetA.id],
    });
    expect(both.statusCode, both.body).toBe(403);
    expect(both.json().error.message).toBe(
      '该账号还在您管辖范围以外的节点任职，请由管辖其全部节点的上级管理员修改',
    );
    expect(await count('user_scopes', 'user_id = $1', [uid.carerBoth])).toBe(2);
    expect(await count('audit_log', "action IN ('account.update', 'account.unlock')")).toBe(audited);
    // the city's admin, above both streets, may
    const ok = await cityAdmin.patch(`/api/accounts/${uid.carerBoth}`, { unlock: true });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('scope nodes outside the admin’s own are 404 naming scopeOrgIds, on create and on update', async () => {
    const create = await streetAdmin.post('/api/accounts', {
      username: 'beyond_a',
      displayName: '越权',
      password: PASSWORD,
      role: 'carer',
      carerKind: 'volunteer',
      scopeOrgIds: [tree.communityA1.id, tree.communityB1.id],
    });
    expect(create.statusCode, create.body).toBe(404);
    expect(create.json().error.details[0].field).toBe('scopeOrgIds');
    expect(create.json().error.details[0].message).toBe(
      `管辖范围中有不存在或不在您管辖范围内的节点：${tree.communityB1.id}`,
    );
    expect(await count('users', "username = 'beyond_a'")).toBe(0);
    const update = await streetAdmin.patch(`/api/accounts/${uid.carerA}`, { scopeOrgIds: [tree.streetB.id] });
    expect(update.statusCode, update.body).toBe(404);
    expect(
      await count('user_scopes', 'user_id = $1 AND org_id = $2', [uid.carerA, tree.communityA1.id]),
    ).toBe(1);
    // within the street it works
    const ok = await streetAdmin.post('/api/accounts', {
      username: 'within_a',
      displayName: '甲街新人',
      password: PASSWORD,
      role: 'carer',
      carerKind: 'volunteer',
      scopeOrgIds: [tree.gridA1.id],
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('only admins grant roles: a coordinator cannot create or change an account at all', async () => {
    const res = await coordA.post('/api/accounts', {
      username: 'made_by_coord',
      displayName: '协调员建的',
      password: PASSWORD,
      role: 'admin',
      scopeOrgIds: [tree.streetA.id],
    });
    expect(res.statusCode, res.body).toBe(403);
    expect((await coordA.patch(`/api/accounts/${uid.carerA}`, { role: 'manager' })).statusCode).toBe(403);
    expect(await count('users', "username = 'made_by_coord'")).toBe(0);
  });
});

describe('the audit log: a street admin reads the entries about their street', () => {
  const actions = (items: { action: string; subject: string | null }[]) =>
    items.map((i) => `${i.action}:${i.subject ?? ''}`);

  it('sees their street’s elders, not another street’s, nor sign-ins and accounts without an org', async () => {
    const mine = (await streetAdmin.get('/api/audit?limit=200')).json().items;
    expect(actions(mine)).toContain('elder.create:甲街审计老人');
    expect(actions(mine)).not.toContain('elder.create:乙街审计老人');
    expect(mine.some((i: { action: string }) => i.action.startsWith('auth.'))).toBe(false);
    const all = (await cityAdmin.get('/api/audit?limit=200')).json().items;
    expect(actions(all)).toContain('elder.create:乙街审计老人');
    expect(all.some((i: { action: string }) => i.action.startsWith('auth.'))).toBe(true);
  });

  it('the export holds the same lines', async () => {
    const res = await streetAdmin.get('/api/audit/export');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const text = JSON.stringify(wb.worksheets[0].getSheetValues());
    expect(text).toContain('甲街审计老人');
    expect(text).not.toContain('乙街审计老人');
  });
});
