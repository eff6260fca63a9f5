import { sql } from 'drizzle-orm';
import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sweepOnce } from '../../src/server/platform/sweeper.ts';
import { browserSuite, chromiumPath, newPage, phone, screenshot } from './harness.ts';
import { asAdmin, deviceEvent, pickElder, query } from './incidents-helpers.ts';

// What a slow phone downloads on its first load (decision 0015). The timings are in `npm run bench --
// --only web`; this checks the structure that makes them: compressed, cached, split by page.

/** Chunks of the staff app, which neither public page may download. */
const STAFF_CHUNKS = /\/assets\/(?:staff-main|app-layout|login-page|dashboard-page|care-page|worklist-page)-/;

/** Every script the page loads, with its answer. */
function watchScripts(page: Page): Response[] {
  const seen: Response[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') seen.push(r);
  });
  return seen;
}

async function checkScripts(scripts: Response[]) {
  expect(scripts.length).toBeGreaterThan(1);
  for (const r of scripts) {
    const url = new URL(r.url()).pathname;
    const h = await r.allHeaders();
    expect(r.status(), url).toBe(200);
    expect(url, 'scripts come from hashed files').toMatch(/^\/assets\/.+-[\w-]{8}\.js$/);
    expect(h['cache-control'], url).toBe('public, max-age=31536000, immutable');
    expect(h.vary ?? '', url).toMatch(/accept-encoding/i);
    if (Number(h['content-length'] ?? 2000) > 1000) expect(h['content-encoding'], url).toBe('br');
  }
}

describe.skipIf(!chromiumPath)('first load: compressed, cached, split by page', () => {
  const h = browserSuite();

  it('sends the app shell compressed, never cached unasked, with the 加载中 placeholder and no inline script', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    const res = await page.request.get('/elder/whatever', { headers: { 'accept-encoding': 'br, gzip' } });
    const headers = res.headers();
    expect(headers['content-encoding']).toBe('br');
    expect(headers['cache-control']).toBe('no-cache');
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('data-testid="boot-placeholder"');
    expect(html).toContain('加载中');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    // what a phone shows before the script runs: the page with its scripts held back
    await page.route('**/assets/*.js', (r) => r.abort());
    await page.goto('/elder/whatever');
    await page.getByTestId('boot-placeholder').getByText('加载中').waitFor();
    await screenshot(page, 'first-load-placeholder-phone.png');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'first-load-placeholder-desktop.png');
    await context.close();
  });

  it('the 长辈版 page loads its own small page: no staff chunk, every script compressed and cached for a year', async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const link = await admin.post<{ path: string }>(`/api/elders/${elder.id}/page-link`, {});
    await admin.close();
    const { context, page } = await newPage(h.browser, h.server, phone);
    const scripts = watchScripts(page);
    await page.goto(link.path);
    await page.getByTestId('elder-sos').waitFor();
    const urls = scripts.map((r) => new URL(r.url()).pathname);
    expect(urls.filter((u) => STAFF_CHUNKS.test(u))).toEqual([]);
    expect(urls.some((u) => /\/assets\/elder-main-/.test(u))).toBe(true);
    await checkScripts(scripts);
    await context.close();
  });

  it("the ack link loads its own page, not the staff app's chunks", async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const { device, secret } = await admin.post<{ device: { id: string }; secret: string }>('/api/devices', {
      elderId: elder.id,
      kind: 'one_key_phone',
      label: 'E2E 首次加载',
    });
    await admin.close();
    const { incidentId } = await deviceEvent(h.server, device.id, secret);
    await sweepOnce(h.server.app.deps, new Date(Date.now() + 61_000));
    const [sms] = await query<{ body: string }>(
      h.server,
      sql`SELECT body FROM notifications WHERE incident_id = ${incidentId} AND channel = 'sms' ORDER BY id LIMIT 1`,
    );
    const path = /\/ack\/[A-Za-z0-9_-]+/.exec(sms.body)![0];
    const { context, page } = await newPage(h.browser, h.server, phone);
    const scripts = watchScripts(page);
    await page.goto(path);
    await page.getByTestId('ack-going').waitFor();
    // the time reads as offices write it (12月5日 17:15), not 2026-12-05 17:15
    const what = (await page.getByTestId('ack-what').textContent()) ?? '';
    expect(what).toMatch(/于 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 发出/);
    expect(what).not.toMatch(/\d{4}-\d{2}/);
    await screenshot(page, 'first-load-ack-phone.png');
    const urls = scripts.map((r) => new URL(r.url()).pathname);
    expect(urls.filter((u) => STAFF_CHUNKS.test(u))).toEqual([]);
    expect(urls.some((u) => /\/assets\/ack-main-/.test(u))).toBe(true);
    await checkScripts(scripts);
    await context.close();
  });

  it('the login page loads the staff shell without the pages behind it', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    const scripts = watchScripts(page);
    await page.goto('/login');
    await page.getByTestId('login-submit').waitFor();
    const urls = scripts.map((r) => new URL(r.url()).pathname);
    expect(urls.some((u) => /\/assets\/staff-main-/.test(u))).toBe(true);
    expect(urls.some((u) => /\/assets\/login-page-/.test(u))).toBe(true);
    expect(
      urls.filter((u) => /\/assets\/(?:care-page|worklist-page|dashboard-page|app-layout)-/.test(u)),
    ).toEqual([]);
    await checkScripts(scripts);
    await context.close();
  });
});
