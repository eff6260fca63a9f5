// 需求转介 through the API: the ledger's filters, the actions and their rules (required notes, illegal
// transitions, optimistic concurrency), scope (404), roles (403) and the audit trail.
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
let carer: Client;
const who: Record<string, { id: number; name: string }> = {};
const others: Record<string, Client> = {};
let elderId: number;
let otherElderId: number;

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
let seq = 0;
const key = () => `referrals-test-${++seq}-${Math.random().toString(36).slice(2, 10)}`;

/** The carer records a visit with needs; the referral ids, in the order of the needs. */
async function visit(elder: number, needs: string[], note = '家里电线老化'): Promise<number[]> {
  const res = await carer.request({
    method: 'POST',
    url: '/api/contacts',
    payload: {
      elderId: elder,
      channel: 'home_visit',
      outcome: 'reached_concern',
      concern: '生活困难',
      needs,
      note,
    },
    headers: { 'idempotency-key': key() },
  });
  expect(res.statusCode, res.body).toBe(200);
  const r = await t.database.query<{ id: number }>(
    'SELECT id FROM care_referrals WHERE contact_id = $1 ORDER BY id',
    [res.json().id],
  );
  return r.map((x) => x.id);
}

const act = (c: Client, id: number, action: string, body: Record<string, unknown>) =>
  c.post(`/api/care/referrals/${id}/${action}`, body);

const audit = (id: number) =>
  t.database.query<{
    action: string;
    actor_id: number;
    org_path: string;
    reason: string | null;
    details: Record<string, unknown>;
  }>(
    `SELECT action, actor_id, org_path, reason, details FROM audit_log
      WHERE entity = 'care_referral' AND entity_id = $1 ORDER BY id`,
    [String(id)],
  );

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-11-22 10:00'));
  tree = await makeTree(t.database);
  const sign = async (name: string, role: string, scope: number[]) => {
    const u = await makeUser(t.database, role, scope);
    who[name] = { id: u.id, name: u.displayName };
    return signIn(t.app, u.username, u.password);
  };
  const admin = await sign('admin', 'admin', [tree.city.id]);
  coordA = await sign('coordA', 'coordinator', [tree.streetA.id]);
  coordB = await sign('coordB', 'coordinator', [tree.streetB.id]);
  manager = await sign('manager', 'manager', [tree.district.id]);
  carer = await sign('carer', 'carer', [tree.streetA.id]);
  for (const role of ['doctor', 'provider', 'dispatcher'])
    others[role] = await sign(role, role, [tree.streetA.id]);
  const mk = async (name: string, orgId: number, seqNo: number) => {
    const e = await coordA.post('/api/elders', {
      name,
      phones: ['13812345678'],
      idNumber: makeIdNumber('330102', '1938-03-02', seqNo),
      orgId,
      livingSituation: '独居',
    });
    expect(e.statusCode, e.body).toBe(201);
    return e.json().id as number;
  };
  elderId = await mk('转介甲', tree.gridA1.id, 11);
  otherElderId = await mk('转介乙', tree.communityA1.id, 13);
  expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
  const p = await coordA.post('/api/pairings', { carerId: who.carer.id, elderIds: [elderId, otherElderId] });
  expect(p.statusCode, p.body).toBe(200);
});
afterAll(() => t.close());

describe('the referral ledger', () => {
  it('lists the backlog with the visit it came from; filters by status, org and elder; pages', async () => {
    const [bath, meals] = await visit(elderId, ['助浴', '助餐'], '膝盖疼，洗澡困难');
    t.clock.advance(60_000);
    const [repair] = await visit(otherElderId, ['维修电线']);
    const res = await coordA.get('/api/care/referrals');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items.map((r: { id: number }) => r.id)).toEqual([repair, meals, bath]);
    expect(body.counts).toEqual({ open: 3, accepted: 0 });
    expect(body.nextOffset).toBeNull();
    expect(body.items[2]).toMatchObject({
      elderId,
      elderName: '转介甲',
      need: '助浴',
      status: 'open',
      raisedById: who.carer.id,
      raisedByName: who.carer.name,
      contactedAt: sh('2026-11-22 10:00').toISOString(),
      contactChannel: 'home_visit',
      contactNote: '膝盖疼，洗澡困难',
      handlerId: null,
      acceptedAt: null,
      resolvedAt: null,
      resolution: null,
    });

    const page1 = (await coordA.get('/api/care/referrals?limit=2')).json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextOffset).toBe(2);
    const page2 = (await coordA.get('/api/care/referrals?limit=2&offset=2')).json();
    expect(page2.items.map((r: { id: number }) => r.id)).toEqual([bath]);
    expect(page2.nextOffset).toBeNull();

    const ofElder = (await coordA.get(`/api/care/referrals?elderId=${otherElderId}`)).json();
    expect(ofElder.items.map((r: { id: number }) => r.id)).toEqual([repair]);
    expect(ofElder.counts).toEqual({ open: 1, accepted: 0 });
    // the grid holds 转介甲 only; 转介乙 lives in the community above it
    const ofGrid = (await coordA.get(`/api/care/referrals?orgId=${tree.gridA1.id}`)).json();
    expect(ofGrid.items.map((r: { id: number }) => r.id)).toEqual([meals, bath]);
    expect((await coordA.get('/api/care/referrals?status=resolved')).json().items).toEqual([]);
    expect((await coordA.get('/api/care/referrals?status=all')).json().items).toHaveLength(3);
    const bad = await coordA.get('/api/care/referrals?status=done');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('querystring.status');
  });

  it('is confined to the caller’s subtree: another street sees nothing and gets 404 for an org or a referral', async () => {
    const [id] = await visit(elderId, ['理发']);
    const ofB = (await coordB.get('/api/care/referrals?status=all')).json();
    expect(ofB.items).toEqual([]);
    expect(ofB.counts).toEqual({ open: 0, accepted: 0 });
    expect((await coordB.get(`/api/care/referrals?orgId=${tree.streetA.id}`)).statusCode).toBe(404);
    for (const [action, body] of [
      ['accept', { expectedStatus: 'open' }],
      ['resolve', { expectedStatus: 'open', resolution: '已理发' }],
      ['close', { expectedStatus: 'open', reason: '不需要' }],
      ['assign', { expectedStatus: 'open', handlerId: who.coordB.id }],
    ] as const) {
      const res = await act(coordB, id, action, body);
      expect(res.statusCode, `${action}: ${res.body}`).toBe(404);
      expect(res.json().error.message).toBe('找不到该需求');
    }
    expect((await coordB.get(`/api/care/referrals/${id}/handlers`)).statusCode).toBe(404);
    // the district manager above both streets sees it
    const m = (await manager.get('/api/care/referrals')).json();
    expect(m.items.map((r: { id: number }) => r.id)).toContain(id);
    expect(await audit(id)).toEqual([]);
  });

  it('refuses carers, doctors, providers and dispatchers (403), listing and acting', async () => {
    const [id] = await visit(elderId, ['陪同就医']);
    for (const c of [carer, others.doctor, others.provider, others.dispatcher]) {
      expect((await c.get('/api/care/referrals')).statusCode).toBe(403);
      const res = await act(c, id, 'accept', { expectedStatus: 'open' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    expect(await audit(id)).toEqual([]);
  });
});

describe('working a referral', () => {
  it('accepts (who, when, handler), then resolves with 办理结果; each step audited', async () => {
    const [id] = await visit(elderId, ['适老化改造']);
    t.clock.advance(3600_000);
    const acceptedAt = t.clock.now().toISOString();
    const a = await act(coordA, id, 'accept', { expectedStatus: 'open' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().referral).toMatchObject({
      id,
      status: 'accepted',
      acceptedAt,
      acceptedById: who.coordA.id,
      acceptedByName: who.coordA.name,
      handlerId: who.coordA.id,
      handlerName: who.coordA.name,
      resolvedAt: null,
      updatedAt: acceptedAt,
    });
    const listed = (await coordA.get(`/api/care/referrals?elderId=${elderId}&status=accepted`)).json();
    expect(listed.items.map((r: { id: number }) => r.id)).toEqual([id]);

    t.clock.advance(3 * 3600_000);
    const r = await act(coordA, id, 'resolve', {
      expectedStatus: 'accepted',
      resolution: '  已联系施工队，扶手与防滑垫安装完毕  ',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().referral).toMatchObject({
      status: 'resolved',
      acceptedAt,
      resolvedAt: t.clock.now().toISOString(),
      resolvedById: who.coordA.id,
      resolvedByName: who.coordA.name,
      resolution: '已联系施工队，扶手与防滑垫安装完毕',
      handlerId: who.coordA.id,
    });
    // a finished referral leaves the working list
    const active = (await coordA.get('/api/care/referrals')).json().items as { id: number }[];
    expect(active.map((x) => x.id)).not.toContain(id);
    const done = (await coordA.get('/api/care/referrals?status=resolved')).json().items as { id: number }[];
    expect(done.map((x) => x.id)).toEqual([id]);

    const [elder] = await t.database.query<{ org_path: string }>(
      'SELECT org_path FROM elders WHERE id = $1',
      [elderId],
    );
    expect(await audit(id)).toEqual([
      {
        action: 'care.referral.accept',
        actor_id: who.coordA.id,
        org_path: elder.org_path,
        reason: null,
        details: { elderId, from: 'open', to: 'accepted', handlerId: who.coordA.id },
      },
      {
        action: 'care.referral.resolve',
        actor_id: who.coordA.id,
        org_path: elder.org_path,
        reason: null,
        details: {
          elderId,
          from: 'accepted',
          to: 'resolved',
          handlerId: who.coordA.id,
          resolution: '已联系施工队，扶手与防滑垫安装完毕',
        },
      },
    ]);
  });

  it('resolving needs 办理结果 and closing a reason: 400 naming the field in Chinese, nothing written', async () => {
    const [id] = await visit(elderId, ['助洁']);
    for (const body of [{ expectedStatus: 'open' }, { expectedStatus: 'open', resolution: '   ' }]) {
      const res = await act(coordA, id, 'resolve', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toEqual([{ field: 'body.resolution', message: '请填写办理结果' }]);
    }
    const close = await act(coordA, id, 'close', { expectedStatus: 'open', reason: '' });
    expect(close.statusCode).toBe(400);
    expect(close.json().error.details).toEqual([{ field: 'body.reason', message: '请填写无需处理的原因' }]);
    const long = await act(coordA, id, 'resolve', { expectedStatus: 'open', resolution: '办'.repeat(501) });
    expect(long.json().error.details[0]).toMatchObject({
      field: 'body.resolution',
      message: '办理结果不能超过 500 字',
    });
    const noStatus = await act(coordA, id, 'accept', {});
    expect(noStatus.statusCode).toBe(400);
    expect(noStatus.json().error.details[0]).toMatchObject({
      field: 'body.expectedStatus',
      message: expect.stringContaining('状态'),
    });
    const [row] = await t.database.query<{ status: string; resolution: string | null }>(
      'SELECT status, resolution FROM care_referrals WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ status: 'open', resolution: null });
    expect(await audit(id)).toEqual([]);
  });

  it('closes as 无需处理 with the reason; resolving straight from open accepts it at the same moment', async () => {
    const [closeId, directId] = await visit(elderId, ['送药', '购物']);
    const c = await act(coordA, closeId, 'close', { expectedStatus: 'open', reason: '家属已每周代购' });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().referral).toMatchObject({
      status: 'closed',
      resolution: '家属已每周代购',
      resolvedByName: who.coordA.name,
      acceptedAt: null,
      handlerId: null,
    });
    expect((await audit(closeId))[0]).toMatchObject({
      action: 'care.referral.close',
      reason: '家属已每周代购',
      details: { from: 'open', to: 'closed' },
    });

    const d = await act(manager, directId, 'resolve', { expectedStatus: 'open', resolution: '当场代为预约' });
    expect(d.statusCode, d.body).toBe(200);
    const now = t.clock.now().toISOString();
    expect(d.json().referral).toMatchObject({
      status: 'resolved',
      acceptedAt: now,
      acceptedByName: who.manager.name,
      resolvedAt: now,
      handlerId: who.manager.id,
    });
  });

  it('refuses illegal transitions with 409 in Chinese', async () => {
    const [id] = await visit(elderId, ['助行']);
    expect(
      (await act(coordA, id, 'resolve', { expectedStatus: 'open', resolution: '已借轮椅' })).statusCode,
    ).toBe(200);
    const cases: [string, Record<string, unknown>, string][] = [
      ['resolve', { resolution: '再次办结' }, '该需求当前为“已办结”，不能办结'],
      ['accept', {}, '该需求当前为“已办结”，不能受理'],
      ['close', { reason: '不需要' }, '该需求当前为“已办结”，不能标记为无需处理'],
      ['assign', { handlerId: who.manager.id }, '该需求当前为“已办结”，不能转派'],
    ];
    for (const [action, body, message] of cases) {
      const res = await act(coordA, id, action, { expectedStatus: 'resolved', ...body });
      expect(res.statusCode, action).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'CONFLICT', message });
    }
    const [acc] = await visit(elderId, ['代缴费']);
    expect((await act(coordA, acc, 'accept', { expectedStatus: 'open' })).statusCode).toBe(200);
    const twice = await act(coordA, acc, 'accept', { expectedStatus: 'accepted' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('该需求当前为“已受理”，不能受理');
    // English for an English caller
    const en = await coordA.request({
      method: 'POST',
      url: `/api/care/referrals/${acc}/accept`,
      payload: { expectedStatus: 'accepted' },
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().error.message).toBe('The referral is accepted and cannot be accepted');
    expect((await audit(id)).map((a) => a.action)).toEqual(['care.referral.resolve']);
  });

  it('a status changed by someone else since the client read it is 409 冲突, and nothing is written', async () => {
    const [id] = await visit(elderId, ['心理疏导']);
    // coordinator A and the manager both see it open; the manager accepts first
    expect((await act(manager, id, 'accept', { expectedStatus: 'open' })).statusCode).toBe(200);
    const late = await act(coordA, id, 'close', { expectedStatus: 'open', reason: '重复登记' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({
      code: 'CONFLICT',
      message: '操作冲突：该需求已被他人改为“已受理”，请刷新后重试',
      details: [{ field: 'body.expectedStatus', current: 'accepted' }],
    });
    const [row] = await t.database.query<{ status: string; resolution: string | null; handler_id: number }>(
      'SELECT status, resolution, handler_id FROM care_referrals WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ status: 'accepted', resolution: null, handler_id: who.manager.id });
    expect((await audit(id)).map((a) => a.action)).toEqual(['care.referral.accept']);
  });

  it('two coordinators resolving at once: one succeeds, the other gets 409', async () => {
    const [id] = await visit(elderId, ['助急']);
    const [a, b] = await Promise.all([
      act(coordA, id, 'resolve', { expectedStatus: 'open', resolution: '甲办结' }),
      act(manager, id, 'resolve', { expectedStatus: 'open', resolution: '乙办结' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect((await audit(id)).map((x) => x.action)).toEqual(['care.referral.resolve']);
  });

  it('reassigns to a staff account covering the elder; another street’s coordinator or a carer is refused', async () => {
    const [id] = await visit(elderId, ['法律援助']);
    const h = await coordA.get(`/api/care/referrals/${id}/handlers`);
    expect(h.statusCode, h.body).toBe(200);
    const ids = h.json().items.map((x: { id: number }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([who.coordA.id, who.manager.id, who.admin.id]));
    expect(ids).not.toContain(who.coordB.id);
    expect(ids).not.toContain(who.carer.id);
    expect(h.json().items[0].role).toBe('coordinator');

    for (const handlerId of [who.coordB.id, who.carer.id, 999_999]) {
      const res = await act(coordA, id, 'assign', { expectedStatus: 'open', handlerId });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({
        field: 'body.handlerId',
        message: '处理人须为管辖该老人、在岗的工作人员、主管领导或系统管理员',
      });
    }
    const noHandler = await act(coordA, id, 'assign', { expectedStatus: 'open' });
    expect(noHandler.json().error.details[0]).toMatchObject({
      field: 'body.handlerId',
      message: '请选择处理人',
    });

    const open = await act(coordA, id, 'assign', { expectedStatus: 'open', handlerId: who.manager.id });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().referral).toMatchObject({
      status: 'open',
      handlerId: who.manager.id,
      acceptedAt: null,
    });
    // accepting keeps the handler already named; accepting for someone else names them
    const acc = await act(coordA, id, 'accept', { expectedStatus: 'open' });
    expect(acc.json().referral).toMatchObject({
      status: 'accepted',
      handlerName: who.manager.name,
      acceptedByName: who.coordA.name,
    });
    const back = await act(manager, id, 'assign', { expectedStatus: 'accepted', handlerId: who.coordA.id });
    expect(back.json().referral).toMatchObject({ status: 'accepted', handlerId: who.coordA.id });
    expect((await audit(id)).map((a) => [a.action, a.details.handlerId])).toEqual([
      ['care.referral.assign', who.manager.id],
      ['care.referral.accept', who.manager.id],
      ['care.referral.assign', who.coordA.id],
    ]);

    const [other] = await visit(elderId, ['助餐']);
    const forB = await act(coordA, other, 'accept', { expectedStatus: 'open', handlerId: who.coordB.id });
    expect(forB.statusCode).toBe(400);
    const forM = await act(coordA, other, 'accept', { expectedStatus: 'open', handlerId: who.manager.id });
    expect(forM.json().referral).toMatchObject({
      handlerId: who.manager.id,
      acceptedByName: who.coordA.name,
    });
  });

  it('an unknown referral is 404', async () => {
    const res = await act(coordA, 987_654, 'accept', { expectedStatus: 'open' });
    expect(res.statusCode).toBe(404);
  });
});
