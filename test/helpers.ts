import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { createAccountAsSystem } from '../src/server/modules/accounts/accounts.service.ts';
import { insertOrgsBulk, type OrgRow } from '../src/server/modules/orgs/orgs.service.ts';
import { TestClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import type { Database } from '../src/server/platform/db.ts';
import { createTestDatabase } from './test-db.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: TestClock;
  close(): Promise<void>;
}

/** The whole app on a fresh database, with a clock the test controls. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = new TestClock();
  const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', ...env });
  const app = await buildApp({ database, config, clock });
  return {
    app,
    database,
    clock,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export interface TestTree {
  city: OrgRow;
  district: OrgRow;
  streetA: OrgRow;
  streetB: OrgRow;
  communityA1: OrgRow;
  communityB1: OrgRow;
  gridA1: OrgRow;
  unit: OrgRow;
}

/** A small org tree: one city, one district, two streets with a community each, one grid, one unit. */
export async function makeTree(database: Database, prefix = ''): Promise<TestTree> {
  const db = database.db;
  const [city] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'city', parentId: null, parentPath: '/', name: `${prefix}测试市` },
  ]);
  const [district] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'district', parentId: city.id, parentPath: city.path, name: '测试区' },
  ]);
  const [streetA, streetB] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'street', parentId: district.id, parentPath: district.path, name: '甲街道' },
    { tree: 'geo', kind: 'street', parentId: district.id, parentPath: district.path, name: '乙街道' },
  ]);
  const [communityA1] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'community', parentId: streetA.id, parentPath: streetA.path, name: '甲一社区' },
  ]);
  const [communityB1] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'community', parentId: streetB.id, parentPath: streetB.path, name: '乙一社区' },
  ]);
  const [gridA1] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'grid', parentId: communityA1.id, parentPath: communityA1.path, name: '第1网格' },
  ]);
  const [unit] = await insertOrgsBulk(db, [
    { tree: 'affiliation', kind: 'unit', parentId: null, parentPath: '/', name: `${prefix}测试大学` },
  ]);
  return { city, district, streetA, streetB, communityA1, communityB1, gridA1, unit };
}

let userSeq = 0;
export async function makeUser(
  database: Database,
  role: string,
  scopeOrgIds: number[],
  password = 'secret-pass-1',
) {
  userSeq++;
  const username = `${role}_${userSeq}_${Math.random().toString(36).slice(2, 7)}`;
  const user = await createAccountAsSystem(database.db, {
    username,
    displayName: `测试${role}${userSeq}`,
    password,
    role,
    carerKind: role === 'carer' ? 'volunteer' : null,
    scopeOrgIds,
  });
  return { ...user, password };
}

/** A signed-in client: cookie and CSRF token applied to every request. */
export interface Client {
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
  cookie: string;
  csrf: string;
}

export async function signIn(
  app: FastifyInstance,
  username: string,
  password = 'secret-pass-1',
): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = res.json().csrfToken as string;
  const request = (opts: InjectOptions) =>
    app.inject({ ...opts, headers: { cookie, 'x-csrf-token': csrf, ...(opts.headers ?? {}) } });
  return {
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) => request({ method: 'POST', url, payload: payload as never }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as never }),
    del: (url) => request({ method: 'DELETE', url }),
    cookie,
    csrf,
  };
}
