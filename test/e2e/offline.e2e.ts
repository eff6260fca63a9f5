import type { APIRequestContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Me } from '../../src/shared/auth.ts';
import type { contactsResponse, createContactResponse, worklistResponse } from '../../src/shared/care.ts';
import worklistZh from '../../src/web/features/worklist/locales/zh-CN.json' with { type: 'json' };
import type { OutboxItem } from '../../src/web/features/worklist/outbox.ts';
import { API_CACHE } from '../../src/web/lib/offline-cache.ts';
import {
  apiAs,
  browserSuite,
  chromiumPath,
  contactsOf,
  DEMO_PASSWORD,
  newPage,
  noChromiumMessage,
  phone,
  screenshot,
  signIn,
  zhCN,
} from './harness.ts';

type Worklist = z.infer<typeof worklistResponse>;
type Contacts = z.infer<typeof contactsResponse>;
type Created = z.infer<typeof createContactResponse>;

/** The duty ids of the cards on the tab the worklist opened with. */
async function cardIds(page: Page): Promise<number[]> {
  await page.getByTestId('worklist-cards').or(page.locator('.ant-empty')).first().waitFor();
  const ids = await page
    .locator('[data-testid^="worklist-card-"]')
    .evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-testid')!.replace('worklist-card-', ''))),
    );
  expect(ids.length, 'cards on the tab the worklist opens with').toBeGreaterThan(0);
  return ids;
}

/** The worklist through the phone's menu (a client-side navigation, not a page load). */
async function openWorklist(page: Page): Promise<void> {
  await page.getByTestId('menu-toggle').tap();
  await page.getByTestId('main-menu').getByText(zhCN.menu.worklist).tap();
  await page.waitForURL('**/worklist');
}

async function worklistItem(api: APIRequestContext, dutyId: number) {
  const w = (await (await api.get('/api/worklist')).json()) as Worklist;
  const item = [...w.overdue, ...w.today, ...w.upcoming].find((i) => i.id === dutyId);
  expect(item, `duty ${dutyId} on the worklist`).toBeDefined();
  return item!;
}

/** Waits until the service worker controls the page and has kept the answers the worklist needs. */
async function offlineReady(page: Page): Promise<void> {
  const ready = await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then((r) => r.active?.scriptURL ?? null),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000)),
    ]),
  );
  expect(String(ready), 'an active service worker').toMatch(/\/sw\.js$/);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  // only these two: whatever else the pages read (the dashboard…) is never kept on the phone
  await expect
    .poll(() =>
      page.evaluate(async (name) => {
        if (!(await caches.has(name))) return [];
        const keys = await (await caches.open(name)).keys();
        return keys.map((r) => new URL(r.url).pathname).sort();
      }, API_CACHE),
    )
    .toEqual(['/api/me', '/api/worklist']);
}

function outbox(page: Page): Promise<OutboxItem[]> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('carecircle.care.outbox') ?? '[]'));
}

/** The records waiting on the phone: key and owner. */
async function waiting(page: Page): Promise<[string, number | undefined][]> {
  return (await outbox(page)).map((i) => [i.key, i.owner]);
}

/** POST /api/contacts requests the phone sends, with their Idempotency-Key. */
function watchContactPosts(page: Page): string[] {
  const keys: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/contacts') {
      keys.push(r.headers()['idempotency-key']);
    }
  });
  return keys;
}

/** The server has exactly one record for `key`: the one given; sending the key again stores nothing. */
async function exactlyOneFor(api: APIRequestContext, key: string, contact: Contacts['items'][number]) {
  const replay = await api.post('/api/contacts', {
    headers: { 'Idempotency-Key': key },
    data: { elderId: contact.elderId, channel: 'phone', outcome: 'reached_ok' },
  });
  expect(replay.status(), await replay.text()).toBe(200);
  expect((await replay.json()) as Created).toMatchObject({ id: contact.id, replayed: true });
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').tap();
  await page.getByRole('menuitem', { name: zhCN.layout.logout }).tap();
  await page.getByTestId('login-submit').waitFor();
}

describe.skipIf(!chromiumPath)("the carer's worklist without a connection (service worker)", () => {
  const h = browserSuite();
  let coordinator: APIRequestContext;
  let carer: APIRequestContext;
  let carerId: number;

  beforeAll(async () => {
    coordinator = await apiAs(h.server.url, 'coordinator');
    carer = await apiAs(h.server.url, 'carer');
    carerId = ((await (await carer.get('/api/me')).json()) as Me).user.id;
  });
  afterAll(async () => {
    await coordinator?.dispose();
    await carer?.dispose();
  });

  it('the service worker is served fresh on every check, as JavaScript', async () => {
    const res = await carer.get('/sw.js');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers()['cache-control']).toBe('no-cache');
    expect(await res.text()).toContain('carecircle-api');
  });

  it('a reload with no signal shows the last worklist with its time; a visit made there syncs once', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'carer');
    await openWorklist(page);
    const online = await cardIds(page);
    await offlineReady(page);

    await context.setOffline(true);
    await page.reload();
    // the app shell from the precache, /api/me and /api/worklist from the offline copy
    expect(await cardIds(page)).toEqual(online);
    const date = await page.evaluate(async () => (await caches.match('/api/worklist'))!.headers.get('date')!);
    const hhmm = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(date));
    const note = page.getByTestId('offline-copy');
    await expect.poll(() => note.textContent()).toBe(worklistZh.sync.asOf.replace('{{time}}', hhmm));
    const status = page.getByTestId('sync-status');
    expect(await status.getAttribute('data-state')).toBe('offline');
    await screenshot(page, 'worklist-offline-reload.png');

    // three taps: the card, 未接通, 占线 — kept on the phone as 待同步
    const dutyId = online[0];
    const item = await worklistItem(carer, dutyId);
    const seen = new Set((await contactsOf(coordinator, item.elderId)).map((c) => c.id));
    const posts = watchContactPosts(page);
    const card = page.getByTestId(`worklist-card-${dutyId}`);
    await card.tap();
    await page.getByTestId('outcome-not-reached').tap();
    await page.getByTestId('reason-not_reached_busy').tap();
    await expect.poll(() => status.getAttribute('data-pending')).toBe('1');
    await card.getByText(worklistZh.pendingTag).waitFor();
    const [queued] = await outbox(page);
    expect(queued).toMatchObject({ owner: carerId, body: { dutyId, outcome: 'not_reached_busy' } });
    expect((await contactsOf(coordinator, item.elderId)).length).toBe(seen.size);

    // back online: sent by itself, once, with the key made on the phone
    await context.setOffline(false);
    await expect.poll(() => status.getAttribute('data-pending')).toBe('0');
    // and the list is the server's again
    await note.waitFor({ state: 'detached', timeout: 30_000 });
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(posts)).toEqual(new Set([queued.key]));
    const fresh = (await contactsOf(coordinator, item.elderId)).filter((c) => !seen.has(c.id));
    expect(fresh.map((c) => [c.outcome, c.dutyId, c.carerId])).toEqual([
      ['not_reached_busy', dutyId, carerId],
    ]);
    await exactlyOneFor(carer, queued.key, fresh[0]);
    expect((await contactsOf(coordinator, item.elderId)).filter((c) => !seen.has(c.id))).toHaveLength(1);
    expect(await outbox(page)).toEqual([]);
    await context.close();
  });

  it('signing out with no connection says so, and ends the session on the server when the connection returns', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'carer');
    await openWorklist(page);
    await offlineReady(page);
    const session = (await context.cookies()).find((c) => c.name === 'cc_session')?.value;
    expect(session).toBeTruthy();
    const serverSees = async () =>
      (await fetch(`${h.server.url}/api/me`, { headers: { cookie: `cc_session=${session}` } })).status;

    await context.setOffline(true);
    await signOut(page);
    await page.getByTestId('offline-logout').waitFor();
    expect(await page.getByTestId('offline-logout').textContent()).toContain(
      '网络恢复后会自动结束服务器上的登录',
    );
    await screenshot(page, 'offline-logout-phone.png');
    // the phone could not tell the server yet: the session still works there
    expect(await serverSees()).toBe(200);

    await context.setOffline(false);
    await expect.poll(serverSees, { timeout: 10_000 }).toBe(401);
    // and a reload finds nobody signed in, without the warning
    await page.reload();
    await page.getByTestId('login-submit').waitFor();
    expect(await page.getByTestId('offline-logout').count()).toBe(0);
    await context.close();
  });

  it('a shared phone: logout forgets the offline copy; a record still waiting is sent only by its own carer', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'carer');
    await openWorklist(page);
    const [dutyId] = await cardIds(page);
    await offlineReady(page);

    // the record cannot reach the server (a dead spot that the browser does not call offline), and the
    // carer signs out with it still waiting
    const unreachable = (route: Route) => route.abort('internetdisconnected');
    await context.route('**/api/contacts', unreachable);
    await page.getByTestId(`worklist-card-${dutyId}`).tap();
    await page.getByTestId('outcome-not-reached').tap();
    await page.getByTestId('reason-not_reached_no_answer').tap();
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-pending')).toBe('1');
    const [queued] = await outbox(page);
    expect(queued).toMatchObject({ owner: carerId, body: { dutyId, outcome: 'not_reached_no_answer' } });
    await signOut(page);
    // the offline copy of the carer's elders is gone with her session; her record stays on the phone
    await expect.poll(() => page.evaluate((name) => caches.has(name), API_CACHE)).toBe(false);
    expect(await waiting(page)).toEqual([[queued.key, carerId]]);
    await context.unroute('**/api/contacts', unreachable);

    // the next volunteer on this phone neither sees nor sends it
    const posts = watchContactPosts(page);
    await page.locator('#username').fill('carer01');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').tap();
    await openWorklist(page);
    await page.getByTestId('worklist-cards').or(page.locator('.ant-empty')).first().waitFor();
    // the worklist tries to send what waits as soon as it opens, and again on a timer: give it time
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('sync-status').getAttribute('data-pending')).toBe('0');
    expect(await waiting(page)).toEqual([[queued.key, carerId]]);
    const carer01 = ((await page.evaluate(() => fetch('/api/me').then((r) => r.json()))) as Me).user.id;
    expect(carer01).not.toBe(carerId);
    await signOut(page);
    expect(posts).toEqual([]);

    // its own carer signs in again and it goes, once
    await signIn(page, 'carer');
    await openWorklist(page);
    await expect.poll(() => outbox(page)).toEqual([]);
    expect(new Set(posts)).toEqual(new Set([queued.key]));
    const [last] = (await contactsOf(coordinator, queued.body.elderId)).filter(
      (c) => c.dutyId === dutyId && c.outcome === 'not_reached_no_answer',
    );
    expect(last.carerId).toBe(carerId);
    await exactlyOneFor(carer, queued.key, last);
    await context.close();
  });
});

if (!chromiumPath) it.skip(noChromiumMessage, () => {});
