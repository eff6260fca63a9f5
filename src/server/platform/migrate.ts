import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.ts';

export const migrationsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

/**
 * Applies `migrations/NNNN_name.sql` in file-name order, each in its own transaction, recording
 * what ran. On a PostgreSQL server an advisory lock lets several processes start at once safely.
 * Files are split on drizzle-kit's `--> statement-breakpoint` markers when present.
 */
export async function migrate(database: Database, dir = migrationsDir): Promise<string[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort();
  await database.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const applied: string[] = [];
  const run = async () => {
    const done = new Set(
      (await database.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      await database.db.transaction(async (tx) => {
        for (const stmt of text.split('--> statement-breakpoint')) {
          if (stmt.trim()) await tx.execute(stmt);
        }
        await tx.execute(`INSERT INTO schema_migrations (name) VALUES ('${file.replace(/'/g, "''")}')`);
      });
      applied.push(file);
    }
  };
  if (database.kind === 'postgres' && database.pool) {
    const client = await database.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(72317001)');
      await run();
    } finally {
      await client.query('SELECT pg_advisory_unlock(72317001)').catch(() => {});
      client.release();
    }
  } else {
    await run();
  }
  return applied;
}
