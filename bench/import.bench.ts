// Roster import benchmark (issue 3): POST /api/elders/import of a 100k-row .xlsx, dry run, commit and
// re-import, each ≤ 60 s with peak RSS ≤ 1 GiB. For bench/run.ts to call: `runImportBench(opts)`.
// Scale: IMPORT_BENCH_ROWS (default 100,000). Runs in-process on a fresh database (a new one on the
// server named by DATABASE_URL, dropped at the end, or in-memory PGlite); the fictional roster is
// generated with ExcelJS's streaming writer into the OS temp directory.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { buildApp } from '../src/server/app.ts';
import { createAccountAsSystem } from '../src/server/modules/accounts/accounts.service.ts';
import { insertOrgsBulk } from '../src/server/modules/orgs/orgs.service.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { makeIdNumber } from '../src/shared/id-number.ts';
import { freshDatabase } from './fresh-db.ts';

export interface ImportBenchOptions {
  backend?: string;
  rows?: number;
  log?: (msg: string) => void;
}

type Row = { scenario: string; backend: string; [k: string]: unknown };

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const given = '秀英桂兰建国明华志强淑珍德福永玉凤美丽军伟芳海平';

async function writeRoster(file: string, n: number) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['某区老年人花名册']).commit();
  const header = ['序号', '姓名', '性别', '身份证号', '出生日期', '手机', '住址', '社区', '居住情况', '类别'];
  ws.addRow([...header, '紧急联系人', '关系', '紧急联系电话']).commit();
  for (let i = 0; i < n; i++) {
    const y = 1925 + (i % 40);
    const birth = `${y}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const seq = 1 + (Math.floor(i / 480) % 999);
    const name = surnames[i % 20]! + given[(i >> 2) % 24]! + given[(i >> 5) % 24]!;
    const contact = surnames[(i >> 3) % 20]! + given[(i >> 1) % 24]! + given[(i >> 7) % 24]!;
    ws.addRow([
      i + 1,
      name,
      seq % 2 ? '男' : '女',
      makeIdNumber(String(310101 + (i % 7)), birth, seq),
      birth.replaceAll('-', '/'),
      `138 ${String(i)
        .padStart(8, '0')
        .replace(/^(\d{4})/, '$1 ')}`,
      `幸福路${i % 90}号楼${1 + (i % 6)}单元${100 + (i % 30)}室`,
      i % 2 ? '甲社区' : '乙社区',
      ['独居', '空巢', '纯老家庭', '与子女同住'][i % 4],
      ['退休教职工', '离休干部', '遗属'][i % 3],
      contact,
      ['儿子', '女儿', '邻居'][i % 3],
      `139${String(i).padStart(8, '0')}`,
    ]).commit();
  }
  await wb.commit();
}

export async function runImportBench(opts: ImportBenchOptions = {}): Promise<Row[]> {
  const backend = opts.backend ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite');
  const n = opts.rows ?? Number(process.env.IMPORT_BENCH_ROWS ?? 100_000);
  const log = opts.log ?? ((m: string) => console.log(m));
  const file = path.join(os.tmpdir(), `carecircle-roster-${n}.xlsx`);
  if (!fs.existsSync(file)) {
    log(`import bench: writing a ${n}-row roster to ${file}`);
    await writeRoster(file, n);
  }
  const xlsx = fs.readFileSync(file);
  const { database, drop } = await freshDatabase(process.env.DATABASE_URL, 'import', 5);
  const app = await buildApp({ database, config: loadConfig({}), clock: systemClock });
  const out: Row[] = [];
  try {
    const [city] = await insertOrgsBulk(database.db, [
      { tree: 'geo', kind: 'city', parentId: null, parentPath: '/', name: '基准市' },
    ]);
    await insertOrgsBulk(database.db, [
      { tree: 'geo', kind: 'community', parentId: city!.id, parentPath: city!.path, name: '甲社区' },
      { tree: 'geo', kind: 'community', parentId: city!.id, parentPath: city!.path, name: '乙社区' },
    ]);
    const password = 'bench-pass-1';
    const user = await createAccountAsSystem(database.db, {
      username: 'bench_importer',
      displayName: '基准导入',
      password,
      role: 'coordinator',
      carerKind: null,
      scopeOrgIds: [city!.id],
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password },
    });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = login.json().csrfToken as string;
    const boundary = `----bench${randomBytes(6).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="roster.xlsx"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      xlsx,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const [scenario, dryRun] of [
      [`import ${n} rows: dry run`, true],
      [`import ${n} rows: commit`, false],
      [`import ${n} rows: re-import (commit)`, false],
    ] as const) {
      let peak = process.memoryUsage().rss;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 25);
      const t0 = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: `/api/elders/import?dryRun=${dryRun}`,
        payload,
        headers: {
          cookie,
          'x-csrf-token': csrf,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(timer);
      const r = res.json();
      out.push({
        scenario,
        backend,
        status: res.statusCode,
        seconds: Math.round(seconds * 10) / 10,
        peakRssMiB: Math.round(peak / 1048576),
        total: r.total,
        valid: r.valid,
        created: r.created,
        updated: r.updated,
        target: '≤ 60 s, ≤ 1024 MiB',
      });
      log(`${scenario}: ${seconds.toFixed(1)} s, peak RSS ${Math.round(peak / 1048576)} MiB`);
    }
  } finally {
    await app.close();
    await drop();
  }
  return out;
}
