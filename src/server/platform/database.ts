import path from 'node:path';
import type { Config } from './config.ts';
import { type Database, lockDataDir, openPglite, openPostgres } from './db.ts';
import { migrate } from './migrate.ts';

/**
 * Opens the configured database and applies migrations: a PostgreSQL server when DATABASE_URL is set,
 * otherwise the embedded PGlite under DATA_DIR, guarded by a lock file.
 */
export async function openDatabase(config: Config, log: (msg: string) => void = () => {}): Promise<Database> {
  let database: Database;
  if (config.databaseUrl) {
    database = await openPostgres(config.databaseUrl);
    log(`database: PostgreSQL server`);
  } else {
    const release = lockDataDir(config.dataDir);
    try {
      database = await openPglite(path.join(config.dataDir, 'pglite'));
    } catch (err) {
      release();
      throw err;
    }
    const close = database.close;
    database.close = async () => {
      await close();
      release();
    };
    log(`database: embedded PGlite in ${config.dataDir}`);
  }
  const applied = await migrate(database);
  if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
  return database;
}
