import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from '../src/server/platform/db.ts';
import { migrate } from '../src/server/platform/migrate.ts';

/**
 * A fresh, migrated database for one benchmark scenario: a new database on the server named by `url`
 * (dropped by `drop`), or an in-memory PGlite.
 */
export async function freshDatabase(
  url: string | undefined,
  label: string,
  poolSize = 20,
): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!url) {
    const database = await openPglite();
    await migrate(database);
    return { database, drop: () => database.close() };
  }
  const name = `cc_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), poolSize);
  database.pool?.on('error', () => {}); // connections killed by the final DROP DATABASE … WITH (FORCE)
  await migrate(database);
  return {
    database,
    drop: async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
