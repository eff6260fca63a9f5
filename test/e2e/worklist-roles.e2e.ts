// Issue 11.6 and 11.7 on a 360 px phone: the demo doctor's worklist holds the family-doctor home
// visits and records vital signs; a carer after 未接通 gets the elder's circle to call, 有异常 asks what
// the concern is, needs come as presets; due times read "12月6日 20:00前"; secondary text is readable.
import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { worklistResponse } from '../../src/shared/care.ts';
import worklistZh from '../../src/web/features/worklist/locales/zh-CN.json' with { type: 'json' };
import {
  apiAs,
  browserSuite,
  chromiumPath,
  contactsOf,
  desktop,
  newPage,
  phone,
  screenshot,
  signIn,
} from './harness.ts';

type Worklist = z.infer<typeof worklistResponse>;
const all = (w: Worklist) => [...w.overdue, ...w.today, ...w.upcoming];

/** Opens the tab holding a duty and returns its card. */
async function openCard(page: Page, dutyId: number, tab: 'overdue' | 'today' | 'upcoming') {
  await page.getByTestId(`worklist-tab-${tab}`).tap();
  const card = page.getByTestId(`worklist-card-${dutyId}`);
  await card.waitFor();
  return card;
}
const tabOf = (w: Worklist, id: number) =>
  (['overdue', 'today', 'upcoming'] as const).find((k) => w[k].some((i) => i.id === id)) ?? 'today';

/** WCAG contrast of an element's text colour on white. */
async function contrastOnWhite(page: Page, selector: string): Promise<{ ratio: number; size: number }> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const cs = getComputedStyle(el);
      const [r, g, b, a = 1] = cs.color.match(/[\d.]+/g)!.map(Number);
      const mix = (c: number) => (c * a + 255 * (1 - a)) / 255;
      const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      const l = 0.2126 * lin(mix(r)) + 0.7152 * lin(mix(g)) + 0.0722 * lin(mix(b));
      return { ratio: 1.05 / (l + 0.05), size: Number.parseFloat(cs.fontSize) };
    });
}

describe.skipIf(!chromiumPath)('worklists of the doctor and the carer', () => {
  const h = browserSuite();
  let coordinator: APIRequestContext;
  let carer: APIRequestContext;
  let doctor: APIRequestContext;

  beforeAll(async () => {
    coordinator = await apiAs(h.server.url, 'coordinator');
    carer = await apiAs(h.server.url, 'carer');
    doctor = await apiAs(h.server.url, 'doctor');
  });
  afterAll(async () => {
    await coordinator?.dispose();
    await carer?.dispose();
    await doctor?.dispose();
  });

  it('the doctor sees the family-doctor home visits and records vital signs with the visit', async () => {
    const w = (await (await doctor.get('/api/worklist')).json()) as Worklist;
    const visit = all(w).find((i) => i.templateKey === 'doctor_quarterly');
    expect(visit, 'a 家庭医生季度上门 on the demo doctor’s worklist').toBeDefined();
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'doctor');
    await page.goto('/worklist');
    const card = await openCard(page, visit!.id, tabOf(w, visit!.id));
    await card.getByText('家庭医生季度上门').waitFor();
    await screenshot(page, 'worklist-doctor-360.png');
    await card.tap();
    await page.getByTestId('outcome-full').tap();
    const form = page.getByTestId('visit-form');
    await form.waitFor();
    await form
      .locator('.ant-radio-button-wrapper', { has: page.getByTestId('visit-outcome-reached_ok') })
      .tap();
    await form.getByTestId('vitals').waitFor();
    // a typing error is caught on the phone, in Chinese, naming the field
    await form.locator('#vitals-systolic').fill('300');
    await form.locator('#vitals-diastolic').fill('85');
    await page.getByTestId('visit-submit').tap();
    await form.getByText(/收缩压（高压）应在 60–260/).waitFor();
    await form.locator('#vitals-systolic').fill('136');
    await form.locator('#vitals-glucose').fill('6.2');
    await form.locator('#vitals-weight').fill('57.5');
    await screenshot(page, 'worklist-doctor-vitals-360.png');
    await page.getByTestId('visit-submit').tap();
    await page.getByText(worklistZh.quick.saved, { exact: true }).waitFor();
    const health = await (await doctor.get(`/api/elders/${visit!.elderId}/health`)).json();
    expect(health.vitalSigns[0]).toMatchObject({ systolic: 136, diastolic: 85, glucose: 6.2, weight: 57.5 });
    await context.close();
  });

  it('after 未接通 the carer gets the circle to call, in call order, as tel: links', async () => {
    const w = (await (await carer.get('/api/worklist')).json()) as Worklist;
    const item = all(w)[0];
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'carer');
    await page.goto('/worklist');
    const card = await openCard(page, item.id, tabOf(w, item.id));
    // due times read "12月6日 20:00前" or "今天 20:00前", never "12-6 20:00"
    const due = await card.getByTestId('card-due').textContent();
    expect(due).toMatch(/^(今天 \d\d:\d\d前|\d{1,2}月\d{1,2}日 \d\d:\d\d前|已逾期 \d+ 天)$/);
    // the secondary text meets 4.5:1 at 14 px or more
    for (const sel of ['[data-testid="card-due"]', '[data-testid="card-last"]']) {
      if ((await card.locator(sel).count()) === 0) continue;
      const c = await contrastOnWhite(page, `[data-testid="worklist-card-${item.id}"] ${sel}`);
      if (!due?.startsWith('已逾期') || sel !== '[data-testid="card-due"]') {
        expect(c.ratio, sel).toBeGreaterThanOrEqual(4.5);
      }
      expect(c.size, sel).toBeGreaterThanOrEqual(14);
    }
    await screenshot(page, 'worklist-carer-360.png');
    await card.tap();
    await page.getByTestId('outcome-not-reached').tap();
    await page.getByTestId('reason-not_reached_no_answer').tap();
    const circle = page.getByTestId('circle-call');
    await circle.waitFor();
    const people = circle.getByTestId('circle-person');
    await people.first().waitFor();
    const links = await circle
      .locator('a[href^="tel:"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => /^tel:\d{7,}/.test(l ?? ''))).toBe(true);
    await screenshot(page, 'worklist-circle-360.png');
    await page.getByTestId('circle-done').tap();
    const [last] = await contactsOf(coordinator, item.elderId);
    expect(last.outcome).toBe('not_reached_no_answer');
    await context.close();
  });

  it('有异常 asks what the concern is; needs come as presets besides free text', async () => {
    const w = (await (await carer.get('/api/worklist')).json()) as Worklist;
    const item = all(w)[1] ?? all(w)[0];
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'carer');
    await page.goto('/worklist');
    const card = await openCard(page, item.id, tabOf(w, item.id));
    await card.tap();
    await page.getByTestId('outcome-concern').tap();
    const form = page.getByTestId('visit-form');
    await form.waitFor();
    await page.getByTestId('visit-submit').tap();
    await form.getByText(worklistZh.form.concernRequired).waitFor();
    await form.getByTestId('concern-preset-情绪低落').tap();
    await form.getByTestId('need-preset-配药').tap();
    await form.getByTestId('need-preset-陪诊').tap();
    await form.getByTestId('circle-call').waitFor();
    await screenshot(page, 'worklist-concern-360.png');
    await page.getByTestId('visit-submit').tap();
    await page.getByText(worklistZh.quick.saved, { exact: true }).waitFor();
    const [last] = await contactsOf(coordinator, item.elderId);
    expect(last).toMatchObject({ outcome: 'reached_concern', concern: '情绪低落', needs: ['配药', '陪诊'] });
    await context.close();
  });

  it('a card names the elder’s grid with its community, on a phone and at 1440 px (issue 11.9)', async () => {
    const w = (await (await carer.get('/api/worklist')).json()) as Worklist;
    const item = all(w).find((i) => /^\S+社区 \/ 第\d+网格/.test(i.orgName ?? ''));
    expect(item, 'a demo carer’s elder registered in a grid').toBeDefined();
    for (const [opts, name] of [
      [phone, 'grids-worklist-360.png'],
      [{ ...desktop, viewport: { width: 1440, height: 900 }, hasTouch: true }, 'grids-worklist-1440.png'],
    ] as const) {
      const { context, page } = await newPage(h.browser, h.server, opts);
      await signIn(page, 'carer');
      await page.goto('/worklist');
      const card = await openCard(page, item!.id, tabOf(w, item!.id));
      expect(await card.getByTestId('card-org').textContent()).toBe(item!.orgName);
      const c = await contrastOnWhite(
        page,
        `[data-testid="worklist-card-${item!.id}"] [data-testid="card-org"]`,
      );
      expect(c.ratio).toBeGreaterThanOrEqual(4.5);
      await screenshot(page, name);
      await context.close();
    }
  });

  it('the carer worklist at 1440 px', async () => {
    const { context, page } = await newPage(h.browser, h.server, {
      ...desktop,
      viewport: { width: 1440, height: 900 },
    });
    await signIn(page, 'carer');
    await page.goto('/worklist');
    await page.getByTestId('worklist-cards').or(page.locator('.ant-empty')).first().waitFor();
    await screenshot(page, 'worklist-carer-1440.png');
    await context.close();
  });
});
