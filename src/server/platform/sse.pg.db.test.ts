import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-db.ts';
import { type Database, openPostgres } from './db.ts';
import { type HubMessage, hubOf } from './sse.ts';

// Server processes hear each other's events through LISTEN/NOTIFY: on PostgreSQL only.
const onServer = !!process.env.TEST_DATABASE_URL;

describe.skipIf(!onServer)('the push hub on a PostgreSQL server', () => {
  let database: Database;
  let other: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    const url = (database.pool as unknown as { options: { connectionString: string } }).options
      .connectionString;
    other = await openPostgres(url, 2); // another server process on the same database
  });
  afterAll(async () => {
    await hubOf(database).close();
    await hubOf(other).close();
    await other.close();
    await database.close();
  });

  it('a lost LISTEN connection is replaced: events from another process arrive again', async () => {
    const hub = hubOf(database);
    const heard: HubMessage[] = [];
    hub.subscribe(
      () => true,
      (m) => heard.push(m),
    );
    await hub.start();
    const send = (n: number) => hubOf(other).publish([{ event: { type: 'test', n } }]);
    const until = async (n: number) => {
      for (let i = 0; i < 50 && !heard.some((m) => m.event.n === n); i++) {
        await send(n);
        await new Promise((r) => setTimeout(r, 200));
      }
      return heard.some((m) => m.event.n === n);
    };
    expect(await until(1)).toBe(true);
    // the server drops the listening connection (a restart, a proxy timeout)
    const killed = await database.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    expect(killed.map((k) => k.ok)).toContain(true);
    expect(await until(2)).toBe(true);
  });
});
