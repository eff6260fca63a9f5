import { sql } from 'drizzle-orm';
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
} from '../../../../../test/helpers.ts';
import { makeIdNumber } from '../../../../shared/id-number.ts';
import { rows as query } from '../../../platform/db.ts';

// Issue 11.9: unknown community names are one grouped problem each, mapped in one step (an existing
// community, a new one under a chosen street, or the default), and the counts add up.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let tree: TestTree;
let coordinator: Client;

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coordinator = await signIn(t.app, c.username, c.password);
});
afterAll(() => t.close());

function upload(url: string, file: Buffer, fields: Record<string, string> = {}) {
  const boundary = '----carecircle-communities';
  const parts = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  const payload = Buffer.concat([
    ...parts,
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.xlsx"\r\nContent-Type: ${XLSX}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return coordinator.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

/** 120 rows: 60 in 兴庆社区, 50 in 交大二村社区, 10 in 老城社区 — none of them registered. */
async function roster(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['序号', '姓名', '身份证号', '社区']);
  for (let i = 0; i < 120; i++) {
    const community = i < 60 ? '兴庆社区' : i < 110 ? '交大二村 社区' : '老城社区';
    ws.addRow([i + 1, `老人${i}`, makeIdNumber('610113', '1940-01-01', 100 + i), community]);
  }
  // a repeat of row 2's ID number, and a row without a name, both in an unknown community
  ws.addRow([121, '重复', makeIdNumber('610113', '1940-01-01', 100), '兴庆社区']);
  ws.addRow([122, '', makeIdNumber('610113', '1940-01-01', 900), '兴庆社区']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('unknown communities', () => {
  it('reports each unknown name once, with its rows, and counts that add up', async () => {
    const res = await upload('/api/elders/import?dryRun=true', await roster());
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.unknownCommunities).toEqual([
      { name: '兴庆社区', rows: 61, firstRows: [2, 3, 4, 5, 6] },
      { name: '交大二村 社区', rows: 50, firstRows: [62, 63, 64, 65, 66] },
      { name: '老城社区', rows: 10, firstRows: [112, 113, 114, 115, 116] },
    ]);
    expect(r.invalid.map((p: { row: number; field: string }) => [p.row, p.field])).toEqual([[123, '姓名']]);
    expect(r.duplicates).toHaveLength(1);
    expect(r).toMatchObject({ total: 122, valid: 0, problemRows: 122 });
  });

  it('maps every name in one step: to a community, to a new one under a street, to the default', async () => {
    const communities = JSON.stringify({
      兴庆社区: tree.communityA1.id,
      交大二村社区: { createUnder: tree.streetA.id },
      老城社区: 'default',
    });
    const url = `/api/elders/import?orgId=${tree.gridA1.id}`;
    const dry = await upload(`${url}&dryRun=true`, await roster(), { communities });
    expect(dry.statusCode).toBe(200);
    const d = dry.json();
    expect(d.unknownCommunities).toEqual([]);
    expect(d.newCommunities).toEqual([
      { name: '交大二村社区', streetId: tree.streetA.id, streetName: '甲街道', rows: 50 },
    ]);
    expect(d).toMatchObject({ total: 122, valid: 120, problemRows: 2, created: 120 });
    const before = await query<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM orgs WHERE name = '交大二村社区'`,
    );
    expect(before[0]!.n).toBe(0); // a dry run creates nothing

    const done = await upload(`${url}&dryRun=false`, await roster(), { communities });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ created: 120, problemRows: 2 });
    const placed = await query<{ name: string; kind: string; parent: string; n: number }>(
      t.database.db,
      sql`SELECT o.name, o.kind, p.name AS parent, count(e.id)::int AS n
          FROM elders e JOIN orgs o ON o.id = e.org_id JOIN orgs p ON p.id = o.parent_id
          GROUP BY o.name, o.kind, p.name ORDER BY o.name`,
    );
    expect(placed).toEqual([
      { name: '交大二村社区', kind: 'community', parent: '甲街道', n: 50 },
      { name: '甲一社区', kind: 'community', parent: '甲街道', n: 60 },
      { name: '第1网格', kind: 'grid', parent: '甲一社区', n: 10 },
    ]);
  });

  it('checks every choice against the caller scope and says which name is wrong', async () => {
    const file = await roster();
    const bad = async (communities: unknown, url = '/api/elders/import?dryRun=true') => {
      const res = await upload(url, file, { communities: JSON.stringify(communities) });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      return res;
    };
    await bad({ 兴庆社区: { createUnder: tree.streetB.id } }); // another street
    await bad({ 兴庆社区: tree.communityB1.id }); // another street's community
    const street = await bad({ 兴庆社区: tree.streetA.id });
    expect(street.json().error.details[0]).toMatchObject({ field: 'communities' });
    expect(street.json().error.details[0].message).toBe('“兴庆社区”：应对应到社区或网格');
    const noDefault = await bad({ 兴庆社区: 'default' });
    expect(noDefault.json().error.details[0].message).toBe(
      '“兴庆社区”：选择“使用默认社区”前请先选择默认社区',
    );
    const shape = await bad({ 兴庆社区: 'somewhere' });
    expect(shape.json().error.details[0].field).toBe('communities');
  });
});
