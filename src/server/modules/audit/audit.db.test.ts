import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
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
import type { AuditLine } from '../../../shared/audit.ts';
import { makeIdNumber, maskIdNumber } from '../../../shared/id-number.ts';

let t: TestApp;
let tree: TestTree;
let admin: Client;
let manager: Client;
let elderA: number;
let elderB: number;
let viewer: { id: number; displayName: string; username: string; password: string };
let other: { id: number; displayName: string };

/** An entry as a module writes it, at a chosen time (the table takes INSERTs only). */
async function entry(e: {
  at: string;
  actor: { id: number; displayName: string } | null;
  action: string;
  entity?: string;
  entityId?: number;
  orgPath?: string;
  details?: Record<string, unknown>;
}) {
  await t.database.db.execute(
    sql`INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, org_path, ip, details)
        VALUES (${e.at}::timestamptz, ${e.actor?.id ?? null}, ${e.actor ? e.actor.displayName : '系统'}, ${e.action},
          ${e.entity ?? null}, ${e.entityId == null ? null : String(e.entityId)}, ${e.orgPath ?? null}, '10.0.0.9',
          ${e.details ? JSON.stringify(e.details) : null}::jsonb)`,
  );
}

const lines = async (c: Client, query: string): Promise<AuditLine[]> => {
  const res = await c.get(`/api/audit?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  admin = await signIn(t.app, a.username, a.password);
  const m = await makeUser(t.database, 'manager', [tree.streetA.id]);
  manager = await signIn(t.app, m.username, m.password);
  viewer = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  other = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  await admin.post('/api/orgs', { tree: 'geo', kind: 'grid', parentId: tree.communityA1.id, name: '甲网格' });
  await admin.post('/api/orgs', { tree: 'geo', kind: 'grid', parentId: tree.communityB1.id, name: '乙网格' });
  elderA = await makeElder(t.database, tree.communityA1, { name: '张桂英' }).then((r) => r.id);
  elderB = await makeElder(t.database, tree.communityB1, { name: '李秀兰' }).then((r) => r.id);
  const pathA = tree.communityA1.path;
  const view = (
    at: string,
    who: { id: number; displayName: string } = viewer,
    elder = elderA,
    path = pathA,
  ) => entry({ at, actor: who, action: 'elder.view', entity: 'elder', entityId: elder, orgPath: path });
  // 王芳 looks at 张桂英 five times within a minute of each other …
  await view('2026-12-05T01:12:05Z');
  await view('2026-12-05T01:12:20Z');
  await view('2026-12-05T01:12:40Z', other); // someone else in between: their own line
  await view('2026-12-05T01:12:50Z');
  await view('2026-12-05T01:13:30Z');
  await view('2026-12-05T01:13:50Z');
  // … then again after a pause of more than a minute: a new line
  await view('2026-12-05T01:15:10Z');
  // a write is never folded, even when repeated
  for (const at of ['2026-12-05T01:16:00Z', '2026-12-05T01:16:10Z']) {
    await entry({
      at,
      actor: viewer,
      action: 'elder.update',
      entity: 'elder',
      entityId: elderA,
      orgPath: pathA,
      details: {
        changes: [
          { field: 'phones', from: ['13812345678'], to: ['13987654321'] },
          { field: 'status', from: 'active', to: 'hospitalised' },
        ],
        idNumber: '110105194912310021',
      },
    });
  }
  // the other street's elder, viewed by the same person
  await view('2026-12-05T01:17:00Z', viewer, elderB, tree.communityB1.path);
  // an incident that names the elder in its details
  await entry({
    at: '2026-12-05T01:18:00Z',
    actor: other,
    action: 'incident.view',
    entity: 'incident',
    entityId: 77,
    orgPath: pathA,
    details: { elderId: elderA },
  });
});
afterAll(() => t.close());

describe('audit log', () => {
  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    await expect(t.database.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.database.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('admins read everything, filtered by action, with keyset pages', async () => {
    const res = await admin.get('/api/audit?action=org.&limit=1');
    expect(res.statusCode).toBe(200);
    const page1 = res.json();
    expect(page1.items).toHaveLength(1);
    expect(page1.items[0].action).toBe('org.create');
    expect(page1.items[0].ip).toBeTruthy();
    expect(page1.items[0].subject).toBe('乙网格');
    const page2 = (await admin.get(`/api/audit?action=org.&limit=1&before=${page1.nextCursor}`)).json();
    expect(page2.items[0].id).toBeLessThan(page1.items[0].id);
  });

  it('folds one person’s repeated views of one record within a minute into one line, when reading', async () => {
    const items = await lines(admin, `elderId=${elderA}&action=elder.view`);
    const mine = items.filter((i) => i.actorId === viewer.id);
    expect(mine.map((i) => [i.count, i.firstAt, i.at])).toEqual([
      [1, '2026-12-05T01:15:10.000Z', '2026-12-05T01:15:10.000Z'],
      [5, '2026-12-05T01:12:05.000Z', '2026-12-05T01:13:50.000Z'],
    ]);
    expect(mine[1].subject).toBe('张桂英');
    const theirs = items.filter((i) => i.actorId === other.id);
    expect(theirs.map((i) => i.count)).toEqual([1]);
    // the rows themselves are untouched: seven view entries of 张桂英 are still there
    const stored = await t.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'elder.view' AND entity_id = '${elderA}'`,
    );
    expect(stored[0].n).toBe(7);
  });

  it('never folds writes', async () => {
    const items = await lines(admin, 'action=elder.update');
    expect(items.map((i) => i.count)).toEqual([1, 1]);
  });

  it('pages by line: walking one line at a time gives the same lines as one page', async () => {
    const all = await lines(admin, 'actor=测试coordinator&limit=200');
    const walked: AuditLine[] = [];
    let before = '';
    for (;;) {
      const res = (await admin.get(`/api/audit?actor=测试coordinator&limit=1${before}`)).json();
      walked.push(...res.items);
      if (res.nextCursor == null) break;
      before = `&before=${res.nextCursor}`;
    }
    expect(walked.map((i) => [i.id, i.count])).toEqual(all.map((i) => [i.id, i.count]));
    expect(all.length).toBe(7);
  });

  it('filters by person, action, elder and dates', async () => {
    const byOther = await lines(admin, `actor=${encodeURIComponent(other.displayName)}`);
    expect(byOther.map((i) => i.action)).toEqual(['incident.view', 'elder.view']);
    const aboutA = await lines(admin, `elderId=${elderA}`);
    expect(aboutA[0].action).toBe('incident.view');
    expect(aboutA[0].subject).toBe('张桂英');
    expect(aboutA.some((i) => i.subject === '李秀兰')).toBe(false);
    const window = await lines(
      admin,
      `elderId=${elderA}&from=${encodeURIComponent('2026-12-05T09:15:00+08:00')}&to=${encodeURIComponent('2026-12-05T09:16:05+08:00')}`,
    );
    expect(window.map((i) => i.action)).toEqual(['elder.update', 'elder.view']);
    const bad = await admin.get('/api/audit?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('from');
  });

  it('masks ID numbers and phones in what it answers, whatever was stored', async () => {
    const [u] = await lines(admin, 'action=elder.update&limit=1');
    const d = u.details as { changes: { field: string; from: string[]; to: string[] }[]; idNumber: string };
    expect(d.idNumber).toBe('110105********0021');
    expect(d.changes[0]).toEqual({ field: 'phones', from: ['138****5678'], to: ['139****4321'] });
    expect(JSON.stringify(u)).not.toContain('13812345678');
  });

  it('records who opened an elder’s record and what an edit changed, old → new, masked', async () => {
    const coord = await signIn(t.app, viewer.username, viewer.password);
    for (let i = 0; i < 3; i++) expect((await coord.get(`/api/elders/${elderA}`)).statusCode).toBe(200);
    const [views] = await lines(admin, `action=elder.view&elderId=${elderA}&limit=1`);
    expect(views).toMatchObject({ count: 3, actorId: viewer.id, subject: '张桂英' });

    const idNumber = makeIdNumber('330106', '1938-05-12', 12);
    const res = await coord.patch(`/api/elders/${elderA}`, {
      idNumber,
      phones: ['13911112222'],
      status: 'hospitalised',
      address: '湖滨路 14 号',
    });
    expect(res.statusCode, res.body).toBe(200);
    const [u] = await lines(admin, `action=elder.update&elderId=${elderA}&limit=1`);
    expect(u.actorId).toBe(viewer.id);
    const changes = (u.details as { changes: unknown[] }).changes;
    expect(changes).toEqual(
      expect.arrayContaining([
        { field: 'status', from: 'active', to: 'hospitalised' },
        { field: 'address', from: '湖滨路 12 号', to: '湖滨路 14 号' },
        { field: 'phones', from: ['138****0001'], to: ['139****2222'] },
      ]),
    );
    const stored = await t.database.query<{ details: string }>(
      `SELECT details::text AS details FROM audit_log WHERE id = ${u.id}`,
    );
    expect(stored[0].details).not.toContain('13911112222');
    expect(stored[0].details).not.toContain(idNumber);
    expect(changes).toContainEqual(
      expect.objectContaining({ field: 'idNumber', to: maskIdNumber(idNumber) }),
    );
  });

  it('exports what the filters select to .xlsx, as sentences, formula-safe', async () => {
    await entry({
      at: '2026-12-05T01:20:00Z',
      actor: null,
      action: 'auth.login_failed',
      details: { username: '=HYPERLINK("x")' },
    });
    const res = await admin.request({ method: 'GET', url: '/api/audit/export' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const cells = wb.worksheets[0].getColumn(3).values.map(String);
    expect(cells).toContain(`${viewer.displayName} 查看了 张桂英 的档案 ×5`);
    expect(cells).toContain(`'=HYPERLINK("x") 登录失败`);
  });

  it('managers read only entries about their subtree; others may not read it', async () => {
    const created = await lines(manager, 'action=org.create');
    expect(created.map((i) => (i.details as { name: string }).name)).toEqual(['甲网格']);
    const views = await lines(manager, 'action=elder.view');
    expect(views.length).toBeGreaterThan(0);
    expect(views.some((i) => i.subject === '李秀兰')).toBe(false);
    const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const coord = await signIn(t.app, c.username, c.password);
    expect((await coord.get('/api/audit')).statusCode).toBe(403);
  });
});
