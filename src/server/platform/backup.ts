import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

// PGlite never fsyncs: data survives a process crash but not a power loss, so the embedded mode
// keeps dated backups (dumpDataDir) beside the data, and prunes old ones.

const stamp = (d = new Date()) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export function backupsDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

export async function backupEmbedded(pglite: PGlite, dataDir: string, keep = 14): Promise<string> {
  const dir = backupsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `carecircle-${stamp()}.tar.gz`);
  const blob = await pglite.dumpDataDir('gzip');
  // a backup holds everything the database does: the owner's alone, whatever the umask
  fs.writeFileSync(`${file}.part`, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
  fs.chmodSync(`${file}.part`, 0o600);
  fs.renameSync(`${file}.part`, file);
  const old = fs
    .readdirSync(dir)
    .filter((f) => /^carecircle-.*\.tar\.gz$/.test(f))
    .sort()
    .slice(0, -keep);
  for (const f of old) fs.rmSync(path.join(dir, f));
  return file;
}

/** pg_dump in custom format; restore with `pg_restore --clean --if-exists -d $DATABASE_URL <file>`. */
export function backupServer(databaseUrl: string, outDir: string): string {
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const file = path.join(outDir, `carecircle-${stamp()}.dump`);
  fs.closeSync(fs.openSync(file, 'wx', 0o600)); // pg_dump writes into a file only the owner can read
  execFileSync('pg_dump', ['--format=custom', `--file=${file}`, databaseUrl], { stdio: 'inherit' });
  fs.chmodSync(file, 0o600);
  return file;
}
