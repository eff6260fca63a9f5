import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../src/server/platform/db.ts';
import { migrate } from '../src/server/platform/migrate.ts';

/**
 * With TEST_DATABASE_URL, makes one migrated template database for this run; each test file then
 * gets its own fresh copy (CREATE DATABASE … TEMPLATE), dropped at the end.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const name = `cc_tmpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), 2);
  await migrate(database);
  await database.close();
  project.provide('pgTemplate', name);
  return async () => {
    const rows = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [
      `cc_t_${name.slice(8)}_%`,
      name,
    ]);
    for (const r of rows.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}
