import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openPglite, openPostgres } from '../src/server/platform/db.ts';
import { migrate } from '../src/server/platform/migrate.ts';

/** A fresh, migrated database for one test file: in-memory PGlite, or a copy of the run's template. */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const database = await openPglite();
    await migrate(database);
    return database;
  }
  const template = inject('pgTemplate');
  const name = `cc_t_${template.slice(8)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), 5);
  const close = database.close;
  database.close = async () => {
    await close();
    // no FORCE here: killing a connection this process still holds would surface as an unhandled
    // error; a database still in use is dropped by the global teardown once the workers are gone
    const a = new pg.Client({ connectionString: url });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
    await a.end();
  };
  return database;
}
