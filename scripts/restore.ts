// npm run restore -- <backup.tar.gz>   (embedded PGlite; stop the server first)
// Moves the current data directory aside (DATA_DIR/pglite.before-restore-<time>) and loads the dump.
// For a PostgreSQL server use pg_restore: pg_restore --clean --if-exists -d "$DATABASE_URL" <file.dump>
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/server/platform/config.ts';
import { DataDirLockedError, lockDataDir, openPglite } from '../src/server/platform/db.ts';

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error('用法：npm run restore -- <备份文件.tar.gz>（usage: npm run restore -- <backup.tar.gz>）');
  process.exit(2);
}
const config = loadConfig();
try {
  const release = lockDataDir(config.dataDir);
  const target = path.join(config.dataDir, 'pglite');
  if (fs.existsSync(target)) {
    const aside = `${target}.before-restore-${Date.now()}`;
    fs.renameSync(target, aside);
    console.log(`current data moved to ${aside}`);
  }
  const blob = new Blob([fs.readFileSync(file)], { type: 'application/x-gzip' });
  const database = await openPglite(target, blob);
  const [r] = await database.query<{ n: number }>('SELECT count(*)::int8 AS n FROM schema_migrations');
  await database.close();
  release();
  console.log(`restored ${file} into ${target} (${r.n} migrations recorded)`);
} catch (err) {
  if (err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
