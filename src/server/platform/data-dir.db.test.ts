import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupEmbedded } from './backup.ts';
import { lockDataDir, openPglite } from './db.ts';
import { migrate } from './migrate.ts';

/** every file and folder under `dir` whose mode lets anyone but the owner in */
function loose(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if ((st.mode & 0o077) !== 0) out.push(`${path.relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
  return out;
}

// The embedded database's files hold ID numbers and phones (the WAL in plain text): owner only.
describe.skipIf(!!process.env.TEST_DATABASE_URL)('embedded data directory permissions', () => {
  let umask: number;
  let dir: string;
  beforeEach(() => {
    umask = process.umask(0o022); // a usual login shell's umask, as `npm start` inherits it
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-perms-'));
  });
  afterEach(() => {
    process.umask(umask);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a new data directory, its database files and its backups are 0700 / 0600', {
    timeout: 240_000,
  }, async () => {
    const dataDir = path.join(dir, 'data');
    const release = lockDataDir(dataDir);
    const db = await openPglite(path.join(dataDir, 'pglite'));
    await migrate(db);
    await db.query(
      `INSERT INTO orgs (tree, kind, name, path, depth) VALUES ('geo', 'city', '权限市', '/p/', 1)`,
    );
    const backup = await backupEmbedded(db.pglite!, dataDir);
    await db.close();
    release();
    expect(fs.readdirSync(path.join(dataDir, 'pglite')).length).toBeGreaterThan(5);
    expect(loose(dataDir)).toEqual([]);
    expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('a directory left world-readable by an earlier version is tightened at start', async () => {
    const dataDir = path.join(dir, 'old');
    fs.mkdirSync(path.join(dataDir, 'pglite', 'base'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'pglite', 'base', '16384'), 'x');
    fs.mkdirSync(path.join(dataDir, 'backups'));
    fs.writeFileSync(path.join(dataDir, 'backups', 'carecircle-old.tar.gz'), 'x');
    for (const p of ['', 'pglite', 'pglite/base', 'backups']) fs.chmodSync(path.join(dataDir, p), 0o777);
    fs.chmodSync(path.join(dataDir, 'pglite', 'base', '16384'), 0o666);
    fs.chmodSync(path.join(dataDir, 'backups', 'carecircle-old.tar.gz'), 0o644);
    expect(loose(dataDir).length).toBe(6);
    const release = lockDataDir(dataDir);
    release();
    expect(loose(dataDir)).toEqual([]);
  });
});
