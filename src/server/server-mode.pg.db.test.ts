// A server on PostgreSQL shares the machine, and often the working directory, with an embedded
// instance: starting it (even with --demo) must never write into DATA_DIR — it once overwrote the
// embedded demo's device secret there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../../test/child-server.ts';
import { createTestDatabase } from '../../test/test-db.ts';
import type { Database } from './platform/db.ts';

const onServer = !!process.env.TEST_DATABASE_URL;

describe.skipIf(!onServer)('server mode and the embedded data directory', () => {
  let database: Database;
  let server: ChildServer | undefined;
  let dataDir: string;
  const embedded = JSON.stringify({ dev_demo_1: 'the embedded instance secret' });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-embedded-'));
    fs.writeFileSync(path.join(dataDir, 'demo-device.json'), embedded, { mode: 0o600 });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with --demo, prints the demo device, and leaves DATA_DIR as it was', async () => {
    const url = (database.pool as unknown as { options: { connectionString: string } }).options
      .connectionString;
    const before = fs.readdirSync(dataDir);
    server = await startChildServer(
      { DATABASE_URL: url, DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn', ROLES: 'api' },
      240_000,
      ['--demo'],
    );
    for (let i = 0; i < 200 && !/Demo device/.test(server.output()); i++) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(server.output()).toMatch(/Demo device .*DATABASE_URL=… npm run device -- sos dev_demo_/);
    expect(fs.readdirSync(dataDir)).toEqual(before);
    expect(fs.readFileSync(path.join(dataDir, 'demo-device.json'), 'utf8')).toBe(embedded);
  }, 300_000);
});
