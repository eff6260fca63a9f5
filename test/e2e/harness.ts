import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
  request,
} from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { z } from 'zod';
import { buildApp } from '../../src/server/app.ts';
import { DEMO_PASSWORD, seed } from '../../src/server/modules/demo/demo.generator.ts';
import { systemClock } from '../../src/server/platform/clock.ts';
import { loadConfig } from '../../src/server/platform/config.ts';
import type { Database } from '../../src/server/platform/db.ts';
import type { contactsResponse } from '../../src/shared/care.ts';
import zhCN from '../../src/web/locales/zh-CN.json' with { type: 'json' };
import { createTestDatabase } from '../test-db.ts';

export { DEMO_PASSWORD, zhCN };

/** Debian's `chromium` on PATH, or the binary named by CHROMIUM_PATH. */
function findChromium(): string | null {
  const named = process.env.CHROMIUM_PATH;
  if (named) return fs.existsSync(named) ? named : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const p = path.join(dir, name);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export const chromiumPath = findChromium();
export const noChromiumMessage =
  'Chromium not found (install Debian\'s "chromium" package or set CHROMIUM_PATH): browser tests skipped';
if (!chromiumPath) {
  // on CI a missing browser must fail the run, not pass it silently
  if (process.env.CI === 'true') throw new Error(noChromiumMessage.replace('skipped', 'cannot run on CI'));
  console.warn(`\n[e2e] ${noChromiumMessage}\n`);
}

export const resultsDir = path.resolve('test-results');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath!,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Server {
  url: string;
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** The real server in-process, on the fictional demo district, serving the built web app. */
export async function startServer(): Promise<Server> {
  const database = await createTestDatabase();
  await seed(database.db, 'demo');
  const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', NODE_ENV: 'test', LOG_LEVEL: 'warn' });
  const app = await buildApp({ database, config, clock: systemClock }, { serveWeb: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };
export const phone: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};

/** A new page in a fresh context (its own cookies and storage): one signed-in person. */
export async function newPage(
  browser: Browser,
  server: Server,
  opts: BrowserContextOptions = desktop,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...opts, baseURL: server.url });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Client-side navigation through the main menu (desktop), as a person would. */
export async function openMenu(page: Page, label: string): Promise<void> {
  await page.getByTestId('main-menu').getByRole('menuitem', { name: label }).click();
}

/** Signs in through the login page and waits for the signed-in layout. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('main-menu').first().or(page.getByTestId('menu-toggle')).waitFor();
}

/** The labels of the main menu, in order. */
export async function menuLabels(page: Page): Promise<string[]> {
  const items = page.getByTestId('main-menu').first().locator('.ant-menu-item .ant-menu-title-content');
  return (await items.allTextContents()).map((s) => s.trim());
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Registers the server and browser of one e2e file; fields are filled in by beforeAll. */
export function browserSuite(): { server: Server; browser: Browser } {
  const h = {} as { server: Server; browser: Browser };
  beforeAll(async () => {
    h.server = await startServer();
    h.browser = await launchChromium();
  });
  afterAll(async () => {
    await h.browser?.close();
    await h.server?.close();
  });
  return h;
}

/** An API client signed in as a demo user, sending the CSRF token on writes. */
export async function apiAs(baseURL: string, username: string): Promise<APIRequestContext> {
  const anon = await request.newContext({ baseURL });
  const res = await anon.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const state = await anon.storageState();
  await anon.dispose();
  return request.newContext({
    baseURL,
    storageState: state,
    extraHTTPHeaders: { 'X-CSRF-Token': csrfToken },
  });
}

/** An elder's contact ledger through the API, newest first. */
export async function contactsOf(
  api: APIRequestContext,
  elderId: number,
): Promise<z.infer<typeof contactsResponse>['items']> {
  const res = await api.get(`/api/contacts?elderId=${elderId}&limit=1000`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as z.infer<typeof contactsResponse>).items;
}
