import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupEmbedded } from './backup.ts';
import { openPglite } from './db.ts';
import { migrate } from './migrate.ts';

// The embedded backup (PGlite dumpDataDir) restores into a working database.
describe.skipIf(!!process.env.TEST_DATABASE_URL)('embedded backup and restore', () => {
  it('writes a dated .tar.gz that loads back with the same rows', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-backup-'));
    const db = await openPglite(path.join(dataDir, 'pglite'));
    await migrate(db);
    await db.query(
      `INSERT INTO orgs (tree, kind, name, path, depth) VALUES ('geo', 'city', '备份市', '/x/', 1)`,
    );
    const file = await backupEmbedded(db.pglite!, dataDir);
    await db.close();
    expect(path.basename(file)).toMatch(/^carecircle-\d{8}-\d{6}\.tar\.gz$/);

    const restored = await openPglite(path.join(dataDir, 'restored'), new Blob([fs.readFileSync(file)]));
    const rows = await restored.query<{ name: string }>(`SELECT name FROM orgs`);
    expect(rows.map((r) => r.name)).toEqual(['备份市']);
    await restored.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
