// npm run backup — a restorable copy of the database.
// Embedded: a PGlite data-directory dump (.tar.gz) under DATA_DIR/backups. If the server is running it
// holds the database, so it is asked (SIGUSR2) to write the backup itself.
// Server: pg_dump --format=custom into ./backups.
import fs from 'node:fs';
import path from 'node:path';
import { backupEmbedded, backupServer, backupsDir } from '../src/server/platform/backup.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { DataDirLockedError, lockDataDir, openPglite } from '../src/server/platform/db.ts';

const config = loadConfig();
if (config.databaseUrl) {
  console.log(`backup written: ${backupServer(config.databaseUrl, path.resolve('backups'))}`);
  process.exit(0);
}
if (!fs.existsSync(path.join(config.dataDir, 'pglite'))) {
  console.error(`没有可备份的嵌入式数据库：${config.dataDir}（No embedded database at ${config.dataDir}）`);
  process.exit(2);
}
try {
  const release = lockDataDir(config.dataDir);
  const database = await openPglite(path.join(config.dataDir, 'pglite'));
  const file = await backupEmbedded(database.pglite!, config.dataDir);
  await database.close();
  release();
  console.log(`backup written: ${file}`);
} catch (err) {
  if (!(err instanceof DataDirLockedError)) throw err;
  // the running server writes it
  const dir = backupsDir(config.dataDir);
  const before = new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  process.kill(err.pid, 'SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const made = (fs.existsSync(dir) ? fs.readdirSync(dir) : []).find(
      (f) => !before.has(f) && f.endsWith('.tar.gz'),
    );
    if (made) {
      console.log(`backup written by the running server (PID ${err.pid}): ${path.join(dir, made)}`);
      process.exit(0);
    }
  }
  console.error(
    '运行中的服务器未在 120 秒内写出备份（the running server did not write a backup within 120 s）',
  );
  process.exit(1);
}
