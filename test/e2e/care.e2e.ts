import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { coverageResponse, worklistResponse } from '../../src/shared/care.ts';
import worklistEn from '../../src/web/features/worklist/locales/en-US.json' with { type: 'json' };
import worklistZh from '../../src/web/features/worklist/locales/zh-CN.json' with { type: 'json' };
import {
  apiAs,
  browserSuite,
  chromiumPath,
  contactsOf,
  desktop,
  newPage,
  noChromiumMessage,
  phone,
  screenshot,
  signIn,
  zhCN,
} from './harness.ts';

type Worklist = z.infer<typeof worklistResponse>;
type Coverage = z.infer<typeof coverageResponse>;

/** The first card of the first worklist tab that has one (tapping through the tabs); its duty id. */
async function firstCard(page: Page): Promise<number> {
  const cards = page.locator('[data-testid^="worklist-card-"]');
  await page.getByTestId('worklist-cards').or(page.locator('.ant-empty')).first().waitFor();
  for (const tab of ['overdue', 'today', 'upcoming']) {
    await page.getByTestId(`worklist-tab-${tab}`).tap();
    await page.getByTestId('worklist-cards').or(page.locator('.ant-empty')).first().waitFor();
    if ((await cards.count()) > 0) {
      return Number((await cards.first().getAttribute('data-testid'))!.replace('worklist-card-', ''));
    }
  }
  throw new Error('the worklist is empty');
}

/** The org the coverage page shows (from its address, or the caller's own scope). */
async function currentOrgId(page: Page): Promise<number> {
  const org = new URL(page.url()).searchParams.get('org');
  if (org) return Number(org);
  const me = await (await page.request.get('/api/me')).json();
  return me.scopes[0].id;
}

async function worklistItem(api: APIRequestContext, dutyId: number) {
  const w = (await (await api.get('/api/worklist')).json()) as Worklist;
  const item = [...w.overdue, ...w.today, ...w.upcoming].find((i) => i.id === dutyId);
  expect(item, `duty ${dutyId} on the worklist`).toBeDefined();
  return item!;
}

describe.skipIf(!chromiumPath)('care network screens', () => {
  const h = browserSuite();
  let coordinator: APIRequestContext;
  let carer: APIRequestContext;

  beforeAll(async () => {
    // the demo district comes with the default policy planned, pairings and 90 days of history
    coordinator = await apiAs(h.server.url, 'coordinator');
    carer = await apiAs(h.server.url, 'carer');
  });
  afterAll(async () => {
    await coordinator?.dispose();
    await carer?.dispose();
  });

  it('a carer logs a visit in three taps on a phone: 已联系·平安 in two, 未接通 with its reason in three', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'carer');
    await page.getByTestId('menu-toggle').tap();
    await page.getByTestId('main-menu').getByText(zhCN.menu.worklist).tap();
    await page.waitForURL('**/worklist');
    const cards = page.locator('[data-testid^="worklist-card-"]');
    await cards.first().waitFor();
    await screenshot(page, 'worklist-phone.png');

    // the page is phone-sized: no sideways scrolling
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    const w = (await (await carer.get('/api/worklist')).json()) as Worklist;
    // each tab is ranked by priority, with the reasons shown on the card
    for (const list of [w.overdue, w.today, w.upcoming]) {
      expect(list.map((i) => i.score)).toEqual([...list.map((i) => i.score)].sort((x, y) => y - x));
    }
    const first = await worklistItem(carer, await firstCard(page));
    const card = page.getByTestId(`worklist-card-${first.id}`);
    // the reasons travel as codes and are worded in the reader's language
    expect(await card.getByTestId('card-reasons').textContent()).toContain(
      reasonWords(worklistZh, first.reasons[0]!),
    );
    await page.getByTestId('lang-switch').click();
    await expect
      .poll(() => card.getByTestId('card-reasons').textContent())
      .toContain(reasonWords(worklistEn, first.reasons[0]!));
    await page.getByTestId('lang-switch').click();
    await expect
      .poll(() => card.getByTestId('card-reasons').textContent())
      .toContain(reasonWords(worklistZh, first.reasons[0]!));
    expect(await page.getByTestId(`call-${first.id}`).getAttribute('href')).toBe(`tel:${first.phones[0]}`);

    // tap 1: the card; tap 2: 已联系·平安 — saved
    const before = (await contactsOf(coordinator, first.elderId)).length;
    await card.tap();
    await page.getByTestId('outcome-ok').tap();
    await page.getByText(worklistZh.quick.saved, { exact: true }).waitFor();
    const after = await contactsOf(coordinator, first.elderId);
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({
      outcome: 'reached_ok',
      dutyId: first.id,
      channel: first.channel === 'home_visit' ? 'home_visit' : 'phone',
      carerName: '王桂兰',
    });

    // tap 1: a card; tap 2: 未接通; tap 3: 无人接听 — saved
    const second = await worklistItem(carer, await firstCard(page));
    await page.getByTestId(`worklist-card-${second.id}`).tap();
    await page.getByTestId('outcome-not-reached').tap();
    await screenshot(page, 'worklist-phone-reasons.png');
    await page.getByTestId('reason-not_reached_no_answer').tap();
    // the elder did not answer: the sheet offers the circle to call next (issue 11.7)
    await page.getByTestId('circle-call').waitFor();
    await page.getByTestId('circle-done').tap();
    await expect
      .poll(async () => (await contactsOf(coordinator, second.elderId)).map((c) => c.outcome))
      .toContain('not_reached_no_answer');
    await context.close();
  });

  it('a visit recorded offline is queued as 待同步 and synced once back online, with no duplicate', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'carer');
    await page.goto('/worklist');
    const dutyId = await firstCard(page);
    const item = await worklistItem(carer, dutyId);
    const seen = new Set((await contactsOf(coordinator, item.elderId)).map((c) => c.id));
    const before = seen.size;

    await context.setOffline(true);
    await page.getByTestId(`worklist-card-${dutyId}`).tap();
    await page.getByTestId('outcome-not-reached').tap();
    await page.getByTestId('reason-not_reached_busy').tap();
    const status = page.getByTestId('sync-status');
    await expect.poll(() => status.getAttribute('data-pending')).toBe('1');
    expect(await status.getAttribute('data-state')).toBe('offline');
    await page.getByTestId(`worklist-card-${dutyId}`).getByTestId('card-pending').waitFor();
    // a retry while still offline keeps the record
    await page.getByTestId('sync-now').tap();
    await expect.poll(() => status.getAttribute('data-pending')).toBe('1');
    await screenshot(page, 'worklist-offline.png');
    expect((await contactsOf(coordinator, item.elderId)).length).toBe(before);

    // back online, but the first answer is lost on the way back: the server has stored the record,
    // the phone keeps it queued with the same Idempotency-Key …
    const keys: string[] = [];
    let lost = false;
    await page.route('**/api/contacts', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) {
        await route.fetch();
        await route.abort('connectionreset');
        lost = true;
      } else await route.continue();
    });
    await context.setOffline(false);
    await expect.poll(() => lost).toBe(true);
    await expect.poll(() => status.getAttribute('data-pending')).toBe('1');
    expect((await contactsOf(coordinator, item.elderId)).length).toBe(before + 1);
    // … and the retry is answered as a replay, so the queue empties without a second record
    await page.getByTestId('sync-now').tap();
    await expect.poll(() => status.getAttribute('data-pending')).toBe('0');
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    const after = await contactsOf(coordinator, item.elderId);
    expect(after.length).toBe(before + 1);
    expect(after.filter((c) => !seen.has(c.id)).map((c) => [c.outcome, c.dutyId])).toEqual([
      ['not_reached_busy', dutyId],
    ]);
    expect(await page.evaluate(() => localStorage.getItem('carecircle.care.outbox'))).toBe('[]');
    await screenshot(page, 'worklist-synced.png');
    await context.close();
  });

  it('a concern is recorded with the full visit form; its need reaches the coordinator as a referral', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'carer');
    await page.goto('/worklist');
    const item = await worklistItem(carer, await firstCard(page));
    await page.getByTestId(`worklist-card-${item.id}`).tap();
    await page.getByTestId('outcome-concern').tap();
    const form = page.getByTestId('visit-form');
    await form.waitFor();
    // the outcome chosen on the sheet is already set; the carer adds what she found
    const checked = form.locator('.ant-radio-button-wrapper-checked');
    await checked.filter({ hasText: worklistZh.outcomes.reached_concern }).waitFor();
    await form.getByText(worklistZh.channels.home_visit, { exact: true }).tap();
    // 有异常 says what the concern is (issue 11.7): a preset, or her own words
    await form.getByTestId('concern-preset-身体不适').tap();
    await form.getByTestId('check-health').getByText(worklistZh.form.concernShort, { exact: true }).tap();
    await form.locator('#needs').fill('助浴服务');
    await form.locator('#needs').press('Enter');
    await form.locator('#durationMin').fill('25');
    await form.locator('#note').fill('膝盖疼，洗澡困难');
    await screenshot(page, 'worklist-visit-form.png');
    await page.getByTestId('visit-submit').tap();
    await page.getByText(worklistZh.quick.saved, { exact: true }).waitFor();

    const [last] = await contactsOf(coordinator, item.elderId);
    expect(last).toMatchObject({
      outcome: 'reached_concern',
      concern: '身体不适',
      channel: 'home_visit',
      needs: ['助浴服务'],
      durationMin: 25,
      note: '膝盖疼，洗澡困难',
      checks: { health: { status: 'concern' } },
    });
    const refs = (await (await coordinator.get('/api/care/referrals')).json()) as {
      items: { elderId: number; need: string }[];
    };
    expect(refs.items).toContainEqual(expect.objectContaining({ elderId: item.elderId, need: '助浴服务' }));
    await context.close();
  });

  it("the coordinator's coverage view drills down from street to community to grid and back", async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'coordinator');
    await page.goto('/care?tab=coverage');
    const current = page.getByTestId('coverage-current');
    await current.waitFor();
    const street = (await current.textContent())!;
    const children = page.locator('[data-testid^="coverage-child-"]');
    await children.first().waitFor();
    await screenshot(page, 'coverage-phone-street.png');
    // worst first: the rows come in the API's order, the lowest visited share on top
    const names = await children.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    const shares = new Map<string, number | null>();
    for (const c of (
      (await (
        await coordinator.get(`/api/coverage?orgId=${await currentOrgId(page)}&period=30`)
      ).json()) as Coverage
    ).children)
      shares.set(c.name, c.share);
    const inOrder = names.map((n) => shares.get(n!) ?? 2);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => a - b));

    // a community: the figures on the row are the API's for that node
    const community = children.first();
    const communityName = (await community.getAttribute('data-name'))!;
    const communityId = Number((await community.getAttribute('data-testid'))!.replace('coverage-child-', ''));
    await community.tap();
    await expect.poll(() => current.textContent()).toBe(communityName);
    expect(page.url()).toContain(`org=${communityId}`);
    const cov = (await (
      await coordinator.get(`/api/coverage?orgId=${communityId}&period=30`)
    ).json()) as Coverage;
    expect(cov.children.length).toBeGreaterThan(0);
    expect(cov.children.every((c) => c.kind === 'grid')).toBe(true);
    await expect.poll(() => children.count()).toBe(cov.children.length);
    const pct = (v: number | null) => (v == null ? '—' : `${Math.round(v * 1000) / 10}%`);
    expect(await page.getByTestId('coverage').textContent()).toContain(pct(cov.totals.share));

    // a grid: the bottom of the tree has no children left to drill into
    const grid = cov.children[0];
    const gridRes = page.waitForResponse((r) => r.url().includes(`/api/coverage?orgId=${grid.orgId}&`));
    await page.getByTestId(`coverage-child-${grid.orgId}`).tap();
    await expect.poll(() => current.textContent()).toBe(grid.name);
    await expect.poll(() => children.count()).toBe(0);
    // the figures say when they were counted (a grid is counted live: the time of the request)
    const shown = (await (await gridRes).json()) as Coverage;
    const hhmm = new Date(shown.asOf).toLocaleTimeString('en-GB', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
    });
    await expect.poll(() => page.getByTestId('coverage-as-of').textContent()).toBe(`数据更新于 ${hhmm}`);
    await screenshot(page, 'coverage-phone-grid.png');

    // and back up to the street through the breadcrumb
    await page.getByTestId('coverage-crumbs').getByText(street).tap();
    await expect.poll(() => current.textContent()).toBe(street);
    await context.close();
  });

  it('the coordinator reads the ledger by carer and exports it as .xlsx', async () => {
    const { context, page } = await newPage(h.browser, h.server, desktop);
    await signIn(page, 'coordinator');
    await page.goto('/care?tab=coverage');
    await page.getByTestId('coverage-chart').waitFor();
    await screenshot(page, 'coverage-desktop.png');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'coverage-desktop-1440.png');

    await page.getByTestId('care-tab-ledger').click();
    const table = page.getByTestId('ledger-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('ledger-carer').click();
    await page.keyboard.type('王桂兰');
    await page
      .locator('.ant-select-dropdown .ant-select-item-option')
      .getByText('王桂兰', { exact: true })
      .click();
    await expect
      .poll(
        async () => new Set(await table.locator('tbody tr.ant-table-row td:nth-child(3)').allTextContents()),
      )
      .toEqual(new Set(['王桂兰']));
    await screenshot(page, 'care-ledger.png');
    const href = (await page.getByTestId('ledger-export').getAttribute('href'))!;
    expect(href).toMatch(/carerId=\d+/);
    const xlsx = await page.request.get(href);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    await context.close();
  });

  it('the coordinator pairs an elder who had nobody, and sees the load, the calendar and the alerts', async () => {
    const { context, page } = await newPage(h.browser, h.server, desktop);
    await signIn(page, 'coordinator');
    await page.goto('/care?tab=pairing');
    const unpaired = page.getByTestId('pairing-unpaired');
    const box = unpaired.locator('.ant-checkbox-wrapper').first();
    await box.waitFor();
    const name = (await box.textContent())!.trim();
    await box.click();
    await page.getByTestId('pair-carer').click();
    await page
      .locator('.ant-select-dropdown')
      .getByText(/^卢珍婷/)
      .click();
    await page.getByTestId('pair-submit').click();
    await expect.poll(async () => (await unpaired.textContent())?.includes(name)).toBe(false);
    const me = (await (await coordinator.get('/api/me')).json()) as { scopes: { id: number }[] };
    const load = (await (await coordinator.get(`/api/pairings/load?orgId=${me.scopes[0].id}`)).json()) as {
      unpaired: { items: { name: string }[] };
    };
    expect(load.unpaired.items.map((e) => e.name)).not.toContain(name);
    await screenshot(page, 'care-pairing.png');

    await page.getByTestId('care-tab-calendar').click();
    await page.getByTestId('care-calendar').locator('.ant-card').first().waitFor();
    await screenshot(page, 'care-calendar.png');

    // the open silence alerts, as many as the API holds for the coordinator, counted on the tab
    const alerts = (await (await coordinator.get('/api/care/alerts?status=open')).json()) as {
      items: unknown[];
    };
    await page.getByTestId('care-tab-alerts').click();
    await page.getByTestId('care-alerts').waitFor();
    await expect
      .poll(() => page.getByTestId('care-alerts').locator('[data-testid^="care-alert-"]').count())
      .toBe(alerts.items.length);
    await screenshot(page, 'care-alerts.png');
    await context.close();
  });

  it('an administrator reads the care policy in words and a coordinator has no policy tab', async () => {
    const { context, page } = await newPage(h.browser, h.server, desktop);
    await signIn(page, 'admin');
    await page.goto('/care?tab=policy');
    await page.getByText('每天 08:00').first().waitFor();
    await page.getByText('生日前 3 天至后 3 天').first().waitFor();
    // rule conditions read as Chinese sentences, not JSON
    await page.getByText('年龄 ≥ 80 且 居住情况为 独居', { exact: false }).first().waitFor();
    const conditions = await page.getByTestId('rule-condition').allInnerTexts();
    expect(conditions.length).toBeGreaterThan(3);
    expect(conditions.some((c) => c.includes('{'))).toBe(false);
    expect(conditions).toContain('所有老人');
    await screenshot(page, 'care-policy.png');
    await context.close();

    const second = await newPage(h.browser, h.server, desktop);
    await signIn(second.page, 'coordinator');
    await second.page.goto('/care?tab=duties');
    await second.page.getByTestId('care-duties').waitFor();
    expect(await second.page.getByTestId('care-tab-policy').count()).toBe(0);
    await screenshot(second.page, 'care-duties.png');
    await second.context.close();
  });
});

if (!chromiumPath) it.skip(noChromiumMessage, () => {});

/** A ranking reason as the worklist words it in one language. */
function reasonWords(locale: typeof worklistZh, r: { code: string; n?: number }): string {
  const words = locale.reason as Record<string, string>;
  const text = r.code === 'ability' ? words[`ability_${r.n}`] : words[r.code];
  return text!.replace('{{n}}', String(r.n));
}
