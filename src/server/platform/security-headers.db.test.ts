// Security headers on every answer, no caching of API answers, and who may read the API docs.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeTree, makeUser, signIn, type TestApp } from '../../../test/helpers.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from './config.ts';

let t: TestApp;
let user: { username: string; password: string };
beforeAll(async () => {
  t = await createTestApp();
  const tree = await makeTree(t.database);
  user = await makeUser(t.database, 'carer', [tree.communityA1.id]);
});
afterAll(() => t.close());

/** another app on the same database, configured otherwise */
async function withApp(env: Record<string, string>, fn: (app: FastifyInstance) => Promise<void>) {
  const app = await buildApp({ database: t.database, config: loadConfig(env), clock: t.clock });
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

const directives = (csp: string | undefined) =>
  Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([k, ...v]) => [k, v]),
  );

describe('security headers', () => {
  it('every answer, an error too, has a CSP without inline script, nosniff, no framing and no referrer', async () => {
    for (const url of ['/api/health', '/api/me', '/api/no-such-thing', '/api/elders?limit=x']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = directives(res.headers['content-security-policy'] as string);
      expect(csp['script-src'], url).toEqual(["'self'"]);
      expect(csp['script-src-attr'], url).toEqual(["'none'"]);
      expect(csp['frame-ancestors'], url).toEqual(["'none'"]);
      expect(csp['default-src'], url).toEqual(["'self'"]);
      expect(csp['object-src'], url).toEqual(["'none'"]);
      expect(csp).not.toHaveProperty('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('answers with personal data are never stored by a cache', async () => {
    const me = await signIn(t.app, user.username, user.password);
    for (const url of ['/api/me', '/api/worklist', '/api/elders']) {
      const res = await me.get(url);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('HSTS and upgrade-insecure-requests only when served over https (COOKIE_SECURE)', async () => {
    await withApp({ COOKIE_SECURE: 'true' }, async (app) => {
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      expect(directives(res.headers['content-security-policy'] as string)).toHaveProperty(
        'upgrade-insecure-requests',
      );
    });
  });
});

describe('the API documentation (API_DOCS)', () => {
  it('is public in development, with its own CSP that still allows no inline script', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    const csp = directives(page.headers['content-security-policy'] as string);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(page.body).not.toMatch(/<script>[^<]/); // no inline script the CSP would block
    expect((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
  });

  it('needs a login in production (default there), and API_DOCS=off removes it', async () => {
    await withApp({ NODE_ENV: 'production' }, async (app) => {
      // (Swagger UI's own static files stay public: the library, nothing of ours)
      for (const url of ['/api/docs/', '/api/docs/json', '/api/openapi.json']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHENTICATED');
      }
      const me = await signIn(app, user.username, user.password);
      expect((await me.get('/api/docs/')).statusCode).toBe(200);
      expect((await me.get('/api/openapi.json')).statusCode).toBe(200);
    });
    await withApp({ API_DOCS: 'off' }, async (app) => {
      expect((await app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(404);
    });
    await withApp({ NODE_ENV: 'production', API_DOCS: 'public' }, async (app) => {
      expect((await app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
    });
  });
});
