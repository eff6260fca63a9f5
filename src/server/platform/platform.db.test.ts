import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { preparedRows, rows, withTx } from './db.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('prepared statements', () => {
  it('answer like a plain statement, again and again, in and out of a transaction', async () => {
    const q = (n: number) => sql`SELECT ${n}::int AS n, now() AS at, ${[1, 2].length}::int AS two`;
    for (let i = 0; i < 7; i++) {
      // past five runs PostgreSQL may switch the statement to its generic plan
      const [p] = await preparedRows<{ n: number; at: unknown; two: number }>(t.database.db, q(i));
      const [r] = await rows<{ n: number; at: unknown; two: number }>(t.database.db, q(i));
      expect(p).toEqual({ ...r, at: p.at });
      expect(p.n).toBe(i);
    }
    const inTx = await withTx(t.database.db, (tx) => preparedRows<{ n: number }>(tx, q(42)));
    expect(inTx[0].n).toBe(42);
    // another text gets another name (a name reused for another text would be refused by the driver)
    const [other] = await preparedRows<{ s: string }>(t.database.db, sql`SELECT ${'x'}::text AS s`);
    expect(other.s).toBe('x');
  });
});

describe('platform', () => {
  it('reports health with the database kind and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      db: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite',
      version: expect.any(String),
    });
  });

  it('serves an OpenAPI 3 document that lists every route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    const routes = t.app.printRoutes({ commonPrefix: false });
    const documented = Object.keys(doc.paths);
    for (const p of [
      '/api/health',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/me',
      '/api/orgs',
      '/api/orgs/{id}',
      '/api/accounts',
      '/api/accounts/{id}',
      '/api/audit',
    ]) {
      expect(documented).toContain(p);
    }
    expect(routes).toBeTruthy();
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown API paths with the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: '找不到该记录' } });
  });

  it('parses types the same way on both drivers', async () => {
    const [r] = await rows<{ n: unknown; d: unknown; m: unknown }>(
      t.database.db,
      sql`SELECT 9007199254740991::int8 AS n, DATE '2026-02-17' AS d, 12.5::numeric AS m`,
    );
    expect(r).toEqual({ n: 9007199254740991, d: '2026-02-17', m: 12.5 });
    const [q] = await t.database.query<{ n: unknown; d: unknown }>(
      `SELECT 42::int8 AS n, DATE '1935-05-12' AS d`,
    );
    expect(q).toEqual({ n: 42, d: '1935-05-12' });
  });

  it('applies migrations once and records them', async () => {
    const r = await t.database.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(r.map((x) => x.name)).toContain('0000_foundation.sql');
  });
});
