// The built web app as the server sends it: precompressed by Accept-Encoding, hashed files cached for a
// year, the shell and the service worker asked for again each time, the security headers kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../scripts/precompress.ts';
import { createTestApp, type TestApp } from '../../test/helpers.ts';
import { buildApp } from './app.ts';
import { loadConfig } from './platform/config.ts';
import { registerWebApp } from './web-serve.ts';

let t: TestApp;
let app: FastifyInstance;
let dist: string;
const shell = `<!doctype html><html><body><div id="root">加载中</div>${'<!-- padding -->'.repeat(100)}</body></html>`;
const chunk = `export const x = ${JSON.stringify('关爱圈 '.repeat(2000))};\n`;

beforeAll(async () => {
  t = await createTestApp();
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-web-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), shell);
  fs.writeFileSync(path.join(dist, 'assets/staff-Ab12Cd34.js'), chunk);
  fs.writeFileSync(path.join(dist, 'assets/tiny-Ef56Gh78.js'), 'export {};\n');
  fs.writeFileSync(path.join(dist, 'sw.js'), `self.x = ${JSON.stringify('x'.repeat(3000))};\n`);
  await precompressDir(dist);
  app = await buildApp({ database: t.database, config: loadConfig({ NODE_ENV: 'test' }), clock: t.clock });
  expect(await registerWebApp(app, dist)).toBe(true);
});
afterAll(async () => {
  await app?.close();
  await t.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

const get = (url: string, encoding?: string) =>
  app.inject({ method: 'GET', url, headers: encoding === undefined ? {} : { 'accept-encoding': encoding } });

describe('static web app', () => {
  it('writes a brotli and a gzip copy of each text file at build time, not of files too small to gain', () => {
    const files = fs.readdirSync(path.join(dist, 'assets')).sort();
    expect(files).toEqual([
      'staff-Ab12Cd34.js',
      'staff-Ab12Cd34.js.br',
      'staff-Ab12Cd34.js.gz',
      'tiny-Ef56Gh78.js',
    ]);
    const br = fs.readFileSync(path.join(dist, 'assets/staff-Ab12Cd34.js.br'));
    expect(zlib.brotliDecompressSync(br).toString()).toBe(chunk);
    expect(br.length).toBeLessThan(chunk.length / 10);
  });

  it('sends the brotli copy of a hashed file to a browser that takes it, cached for a year', async () => {
    const res = await get('/assets/staff-Ab12Cd34.js', 'gzip, deflate, br, zstd');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(?:application|text)\/javascript/);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(chunk);
    // the security headers of every answer are still there
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends gzip to a browser without brotli, and the file itself to one that accepts neither', async () => {
    const gz = await get('/assets/staff-Ab12Cd34.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(chunk);
    const plain = await get('/assets/staff-Ab12Cd34.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(chunk);
    // the uncompressed answer varies too, or a shared cache could hand it to a brotli browser
    expect(String(plain.headers.vary)).toMatch(/accept-encoding/i);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const tiny = await get('/assets/tiny-Ef56Gh78.js', 'br');
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body).toBe('export {};\n');
  });

  it('sends the app shell for client-side routes, compressed and asked for again on every load', async () => {
    for (const url of ['/', '/login', '/elders/12', '/elder/abc', '/ack/xyz']) {
      const res = await get(url, 'br');
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['content-encoding'], url).toBe('br');
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(zlib.brotliDecompressSync(res.rawPayload).toString(), url).toBe(shell);
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
    }
    const direct = await get('/index.html', 'gzip');
    expect(direct.headers['cache-control']).toBe('no-cache');
    expect(zlib.gunzipSync(direct.rawPayload).toString()).toBe(shell);
  });

  it('asks for the service worker again on every check, compressed or not (decision 0005)', async () => {
    for (const enc of ['br', 'gzip', undefined]) {
      const res = await get('/sw.js', enc);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control'], String(enc)).toBe('no-cache');
      expect(res.headers['content-encoding']).toBe(enc);
    }
  });

  it('answers 404 for a hashed file that is not there, never the app shell in its place', async () => {
    const res = await get('/assets/staff-OLD00000.js', 'br');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await get('/api/nothing-here')).statusCode).toBe(404);
  });
});
