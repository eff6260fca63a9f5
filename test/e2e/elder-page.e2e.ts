import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath, desktop, newPage, phone, screenshot, signIn } from './harness.ts';
import { asAdmin, pickElder, query } from './incidents-helpers.ts';

interface Finding {
  text: string;
  fontSize: number;
  lineHeight: number;
  contrast: number;
}

/**
 * Every piece of text on the 长辈版 page with its computed size, line height and contrast against the
 * background it is drawn on (the first opaque background up the tree), and every control's box.
 */
async function measure(page: Page) {
  return page.evaluate(() => {
    const rgba = (s: string) => {
      const m = s.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1]
        .split(/[ ,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const lum = ([r, g, b]: number[]) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) return c;
      }
      return [255, 255, 255, 1];
    };
    const root = document.querySelector('[data-testid="elder-page"]')!;
    const texts: Finding[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      const el = n.parentElement;
      if (!text || !el || el.getClientRects().length === 0) continue;
      const cs = getComputedStyle(el);
      const fontSize = Number.parseFloat(cs.fontSize);
      const lineHeight = cs.lineHeight === 'normal' ? 0 : Number.parseFloat(cs.lineHeight);
      const fg = el.closest('svg') ? rgba(cs.fill) : rgba(cs.color);
      const l1 = lum(fg);
      const l2 = lum(background(el));
      const contrast = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      texts.push({ text, fontSize, lineHeight, contrast });
    }
    const controls = [...root.querySelectorAll('button, a')].map((b) => {
      const r = b.getBoundingClientRect();
      return {
        id: b.getAttribute('data-testid') ?? b.textContent?.trim(),
        width: r.width,
        height: r.height,
        fontSize: Number.parseFloat(getComputedStyle(b).fontSize),
      };
    });
    return {
      texts,
      controls,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      dialogs: document.querySelectorAll('[role="dialog"], [role="alertdialog"], .ant-modal').length,
    };
  });
}

function checkRules(m: Awaited<ReturnType<typeof measure>>, expected = { texts: 5, controls: 1 }) {
  expect(m.texts.length).toBeGreaterThanOrEqual(expected.texts);
  for (const t of m.texts) {
    expect(t.fontSize, t.text).toBeGreaterThanOrEqual(24);
    expect(t.lineHeight / t.fontSize, t.text).toBeGreaterThanOrEqual(1.3);
    expect(t.contrast, t.text).toBeGreaterThanOrEqual(4.5);
  }
  expect(m.controls.length).toBeGreaterThanOrEqual(expected.controls);
  for (const c of m.controls) {
    expect(c.width, c.id).toBeGreaterThanOrEqual(60);
    expect(c.height, c.id).toBeGreaterThanOrEqual(60);
    expect(c.fontSize, c.id).toBeGreaterThanOrEqual(40);
  }
  expect(m.overflow).toBeLessThanOrEqual(0);
  expect(m.dialogs).toBe(0);
}

async function hold(page: Page, testId: string, ms: number) {
  const box = (await page.getByTestId(testId).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(ms);
  await page.mouse.up();
}

const activeIncidents = (h: { server: Parameters<typeof query>[0] }, elderId: number) =>
  query<{ id: number; kind: string }>(
    h.server,
    sql`SELECT id, kind FROM incidents WHERE elder_id = ${elderId}
        AND state IN ('open', 'acknowledged', 'responder_en_route', 'on_scene')`,
  );

describe.skipIf(!chromiumPath)('长辈版 elder page', () => {
  const h = browserSuite();

  it('passes the 适老化 size and contrast rules; "我很好" checks in; a tap does not call for help, holding does', async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const link = await admin.post<{ token: string; path: string }>(`/api/elders/${elder.id}/page-link`, {});
    await admin.close();
    expect(link.path).toBe(`/elder/${link.token}`);
    const circle = await query<{ name: string }>(
      h.server,
      sql`SELECT name FROM circle_contacts WHERE elder_id = ${elder.id} ORDER BY priority, id LIMIT 1`,
    );

    const { context, page } = await newPage(h.browser, h.server, phone);
    await page.goto(link.path);
    await page.getByTestId('elder-hello').getByText(elder.name).waitFor();
    await page.getByTestId('elder-call-list').getByText(circle[0].name).waitFor();
    // the list is the SOS ladder as it really runs: the duty officer first, then 120 as the last word
    expect(await page.getByTestId('elder-call-list').locator('li').first().textContent()).toBe('社区值班员');
    expect(await page.getByTestId('elder-then-emergency').textContent()).toContain('120');
    checkRules(await measure(page));
    await screenshot(page, 'elder-page-phone.png');

    // a stray tap on 紧急求助 sends nothing and says so in words, without a pop-up
    await hold(page, 'elder-sos', 300);
    await page.getByTestId('elder-sos-released').waitFor();
    expect(await activeIncidents(h, elder.id)).toEqual([]);

    // 我很好: today's check-in, shown with an icon and words
    await page.getByTestId('elder-ok').click();
    const done = page.getByTestId('elder-ok-done');
    await done.waitFor();
    expect(await done.locator('svg').count()).toBeGreaterThan(0);
    expect(await done.textContent()).toContain('今天已报平安');

    // holding for two seconds calls for help
    await hold(page, 'elder-sos', 2400);
    await page.getByTestId('elder-sos-done').getByText('求助已发出').waitFor();
    const open = await activeIncidents(h, elder.id);
    expect(open).toHaveLength(1);
    checkRules(await measure(page), { texts: 5, controls: 0 });
    await screenshot(page, 'elder-page-sos-sent.png');

    // 我按错了: said on the timeline for the dispatcher, who calls back; the incident stays open
    await page.getByTestId('elder-oops').click();
    await page.getByTestId('elder-oops-done').waitFor();
    const said = await query<{ type: string }>(
      h.server,
      sql`SELECT e.type FROM incident_events e WHERE e.incident_id = ${open[0].id} AND e.type = 'elder_false_alarm'`,
    );
    expect(said).toHaveLength(1);
    expect(await activeIncidents(h, elder.id)).toHaveLength(1);
    checkRules(await measure(page), { texts: 5, controls: 0 });
    await screenshot(page, 'elder-page-oops-phone.png');

    // opened again later: the check-in and the call for help are remembered
    await page.reload();
    await page.getByTestId('elder-ok-done').waitFor();
    await page.getByTestId('elder-sos-done').waitFor();
    expect(await page.getByTestId('elder-ok').count()).toBe(0);
    await context.close();
  });

  it('an SOS pressed while the network is down is kept on the phone and sent once, after a reload too', async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const link = await admin.post<{ token: string; path: string }>(`/api/elders/${elder.id}/page-link`, {});
    await admin.close();
    const { context, page } = await newPage(h.browser, h.server, phone);
    await page.goto(link.path);
    await page.getByTestId('elder-hello').waitFor();

    const sent: string[] = [];
    const offline = (route: import('playwright-core').Route) => {
      sent.push(route.request().postDataJSON().requestId);
      return route.abort('internetdisconnected');
    };
    await page.route('**/api/elder-page/*/sos', offline);
    await hold(page, 'elder-sos', 2400);
    await page.getByTestId('elder-sos-queued').getByText('正在自动重发').waitFor();
    expect(await activeIncidents(h, elder.id)).toEqual([]);
    checkRules(await measure(page), { texts: 3, controls: 1 });
    await screenshot(page, 'elder-page-sos-queued-phone.png');

    // the phone is put away and the page opened again, still offline: the press is still there
    await page.reload();
    await page.getByTestId('elder-sos-queued').waitFor();
    expect(await page.getByTestId('elder-sos').count()).toBe(0);
    await page.unroute('**/api/elder-page/*/sos', offline);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.getByTestId('elder-sos-done').getByText('求助已发出').waitFor({ timeout: 30_000 });

    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sent).size).toBe(1);
    const open = await query<{ triggers: number; request_id: string }>(
      h.server,
      sql`SELECT triggers, source->>'requestId' AS request_id FROM incidents WHERE elder_id = ${elder.id}
          AND state IN ('open', 'acknowledged', 'responder_en_route', 'on_scene')`,
    );
    expect(open).toEqual([{ triggers: 1, request_id: sent[0] }]);
    await context.close();
  });

  it('我按错了 reaches the console as a timeline line; the incident stays open for the dispatcher', async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const link = await admin.post<{ token: string; path: string }>(`/api/elders/${elder.id}/page-link`, {});
    await admin.close();
    const elderView = await newPage(h.browser, h.server, phone);
    await elderView.page.goto(link.path);
    await elderView.page.getByTestId('elder-hello').waitFor();
    await hold(elderView.page, 'elder-sos', 2400);
    await elderView.page.getByTestId('elder-sos-done').waitFor();
    await elderView.page.getByTestId('elder-oops').click();
    await elderView.page.getByTestId('elder-oops-done').waitFor();
    const [incident] = await activeIncidents(h, elder.id);

    const { context, page } = await newPage(h.browser, h.server, {
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    await signIn(page, 'dispatcher');
    await page.goto(`/incidents/${incident.id}`);
    const card = page.getByTestId('incident-card');
    const line = card.locator('[data-testid="timeline-entry"][data-type="elder_false_alarm"]');
    await line.getByText('老人自述：按错了').waitFor();
    expect(await line.textContent()).toContain(elder.name);
    await card.locator('[data-testid="state-tag"][data-state="open"]').first().waitFor();
    await screenshot(page, 'elder-page-oops-console-1440.png');
    await context.close();
    await elderView.context.close();
  });

  it('keeps the rules on a tablet-sized screen, and a dead link says what to do', async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const link = await admin.post<{ token: string; path: string }>(`/api/elders/${elder.id}/page-link`, {});
    await admin.close();
    const { context, page } = await newPage(h.browser, h.server, {
      ...desktop,
      viewport: { width: 1024, height: 768 },
    });
    await page.goto(link.path);
    await page.getByTestId('elder-hello').waitFor();
    checkRules(await measure(page));
    await screenshot(page, 'elder-page-tablet.png');

    await page.goto('/elder/this-link-does-not-exist-000000');
    await page.getByTestId('elder-gone').waitFor();
    checkRules(await measure(page), { texts: 2, controls: 1 });
    await context.close();
  });
});
