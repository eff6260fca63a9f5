// Bad input is the caller's fault and gets a 400 or 409 naming what is wrong, never a 500; and what
// the server logs about a failed statement never carries the statement's values (ID numbers, phones).
import { inspect } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
} from '../../../test/helpers.ts';
import { makeIdNumber } from '../../shared/id-number.ts';
import { buildApp } from '../app.ts';
import { TestClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { sql } from './db.ts';

let t: TestApp;
let admin: Client;
let coord: Client;
let elderId: number;
let orgId: number;
let streetId: number;
const ID_NUMBER = makeIdNumber('330102', '1941-03-07', 77);

beforeAll(async () => {
  t = await createTestApp();
  const tree = await makeTree(t.database);
  orgId = tree.gridA1.id;
  streetId = tree.streetA.id;
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  admin = await signIn(t.app, a.username, a.password);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coord = await signIn(t.app, c.username, c.password);
  const e = await coord.post('/api/elders', {
    name: '测试甲',
    phones: ['13812345678'],
    idNumber: ID_NUMBER,
    orgId,
    livingSituation: '独居',
  });
  expect(e.statusCode, e.body).toBe(201);
  elderId = e.json().id;
});
afterAll(() => t.close());

// ---- a minimal request from each operation's schema in the OpenAPI document ----

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
};
type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema: Schema }[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
};

function example(s: Schema, doc: Doc, depth = 0): unknown {
  if (s.$ref) return example(doc.components.schemas[s.$ref.split('/').pop()!], doc, depth);
  const alt = s.oneOf ?? s.anyOf ?? s.allOf;
  if (alt) return example(alt[0], doc, depth);
  if (s.enum) return s.enum[0];
  if (s.type === 'object' || s.properties) {
    if (depth > 4) return {};
    return Object.fromEntries(
      Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v, doc, depth + 1)]),
    );
  }
  if (s.type === 'array') return s.items ? [example(s.items, doc, depth + 1)] : [];
  if (s.type === 'integer' || s.type === 'number') return Math.max(1, s.minimum ?? 1);
  if (s.type === 'boolean') return true;
  if (s.type === 'string') {
    if (s.format === 'date-time') return '2026-11-01T08:00:00.000Z';
    if (s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return '2026-11-01';
    return 'x'.repeat(Math.max(1, s.minLength ?? 1));
  }
  return 'x';
}

/** Every string leaf of a value: its path and a copy with a NUL byte in that leaf. */
function stringLeaves(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  }
  return [];
}
function withNul(value: unknown, path: string[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[path[path.length - 1]] = `甲\u0000乙`;
  return copy;
}

describe('a NUL byte in any text field', () => {
  it('is a 400 naming the field on every route of the OpenAPI document, never a 500', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Doc;
    const cases: { method: string; url: string; payload?: unknown; field: string }[] = [];
    for (const [route, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const params = op.parameters ?? [];
        const pathValues = Object.fromEntries(
          params.filter((p) => p.in === 'path').map((p) => [p.name, String(example(p.schema, doc))]),
        );
        const url = (values: Record<string, string>, query = '') =>
          route.replace(/\{(\w+)\}/g, (_, n) => encodeURIComponent(values[n])) + query;
        const json = op.requestBody?.content['application/json']?.schema;
        const body = json ? example(json, doc) : undefined;
        const base = { method: method.toUpperCase(), payload: body };
        for (const p of params) {
          if (p.schema.type !== 'string' && !p.schema.enum) continue;
          if (p.in === 'path') {
            cases.push({
              ...base,
              url: url({ ...pathValues, [p.name]: 'a\u0000b' }),
              field: `params.${p.name}`,
            });
          } else if (p.in === 'query') {
            cases.push({ ...base, url: url(pathValues, `?${p.name}=a%00b`), field: `query.${p.name}` });
          }
        }
        for (const leaf of stringLeaves(body)) {
          cases.push({
            ...base,
            url: url(pathValues),
            payload: withNul(body, leaf),
            field: `body.${leaf.join('.')}`,
          });
        }
      }
    }
    expect(cases.length).toBeGreaterThan(150);
    const wrong: string[] = [];
    for (const c of cases) {
      const res = await admin.request({ method: c.method as 'GET', url: c.url, payload: c.payload as never });
      let fields: string[] = [];
      try {
        fields = (res.json().error?.details ?? []).map((d: { field: string }) => d.field);
      } catch {
        /* not JSON: a file came back */
      }
      if (res.statusCode !== 400 || !fields.includes(c.field)) {
        wrong.push(`${c.method} ${c.url} ${c.field}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers in the caller language, and a tab or a line break in a note is still fine', async () => {
    const res = await coord.request({
      method: 'POST',
      url: `/api/elders/${elderId}/circle`,
      payload: { kind: 'relative', name: '测试\u0007乙', phones: [] },
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      {
        field: 'body.name',
        message: 'must not contain control characters (such as NUL)',
        messageEn: expect.any(String),
      },
    ]);
    const ok = await coord.post(`/api/elders/${elderId}/circle`, {
      kind: 'relative',
      name: '测试乙',
      note: '第一行\n第二行\t备注',
      phones: [],
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe('what the database refuses', () => {
  it('a duplicate org name under one parent is 409, not 500', async () => {
    const body = {
      tree: 'geo',
      kind: 'community',
      parentId: streetId,
      name: '同名社区',
    };
    expect((await admin.post('/api/orgs', body)).statusCode).toBe(201);
    const again = await admin.post('/api/orgs', body);
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE');
  });

  it('a number past the column range (priority 2147483648) is 400, and the log has no values', async () => {
    const logs: string[] = [];
    const app: FastifyInstance = await buildApp(
      { database: t.database, config: loadConfig({ LOGIN_RATE_LIMIT: '1000' }), clock: new TestClock() },
      { logger: { level: 'info', stream: { write: (s: string) => logs.push(s) } } },
    );
    try {
      const c = await makeUser(t.database, 'coordinator', [orgId]);
      const me = await signIn(app, c.username, c.password);
      const res = await me.post(`/api/elders/${elderId}/circle`, {
        kind: 'relative',
        name: '溢出测试',
        phones: ['13987654321'],
        priority: 2147483648,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      const text = logs.join('\n');
      expect(text).toContain('22003');
      expect(text).not.toContain('13987654321');
      expect(text).not.toContain('溢出测试');
      expect(text).not.toMatch(/params/);
    } finally {
      await app.close();
    }
  });

  it('printing a failed statement (console.error, JSON) never shows its parameters', async () => {
    const err = await t.database.db
      .execute(sql`SELECT ${ID_NUMBER}::int AS n WHERE ${'13812345678'} <> ''`)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    for (const printed of [inspect(err), JSON.stringify(err)]) {
      expect(printed).not.toContain(ID_NUMBER);
      expect(printed).not.toContain('13812345678');
    }
    expect(inspect(err)).toMatch(/SQLSTATE 22/);
  });
});
