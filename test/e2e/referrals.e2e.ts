import type { APIRequestContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { referralsResponse, worklistResponse } from '../../src/shared/care.ts';
import careZh from '../../src/web/features/care/locales/zh-CN.json' with { type: 'json' };
import { apiAs, browserSuite, chromiumPath, desktop, newPage, phone, screenshot, signIn } from './harness.ts';

type Referrals = z.infer<typeof referralsResponse>;
const zh = careZh.referrals;

let seq = 0;
/** The carer records a home visit raising one need; the referral the coordinator sees for it. */
async function raise(carer: APIRequestContext, coordinator: APIRequestContext, need: string, note: string) {
  const w = (await (await carer.get('/api/worklist')).json()) as z.infer<typeof worklistResponse>;
  const duty = [...w.overdue, ...w.today, ...w.upcoming][0];
  expect(duty, 'the demo carer has a worklist').toBeDefined();
  const res = await carer.post('/api/contacts', {
    data: {
      elderId: duty.elderId,
      channel: 'home_visit',
      outcome: 'reached_concern',
      concern: '生活困难',
      needs: [need],
      note,
    },
    headers: { 'Idempotency-Key': `e2e-referral-${Date.now()}-${++seq}` },
  });
  expect(res.status(), await res.text()).toBe(200);
  const list = (await (
    await coordinator.get(`/api/care/referrals?elderId=${duty.elderId}`)
  ).json()) as Referrals;
  const referral = list.items.find((r) => r.need === need);
  expect(referral, `the referral of ${need}`).toBeDefined();
  return referral!;
}

async function referral(api: APIRequestContext, id: number, elderId: number) {
  const list = (await (
    await api.get(`/api/care/referrals?elderId=${elderId}&status=all&limit=500`)
  ).json()) as Referrals;
  return list.items.find((r) => r.id === id);
}

describe.skipIf(!chromiumPath)('需求转介: the coordinator works the needs raised on visits', () => {
  const h = browserSuite();
  let coordinator: APIRequestContext;
  let carer: APIRequestContext;
  let manager: APIRequestContext;

  beforeAll(async () => {
    coordinator = await apiAs(h.server.url, 'coordinator');
    carer = await apiAs(h.server.url, 'carer');
    manager = await apiAs(h.server.url, 'manager');
  });
  afterAll(async () => {
    await coordinator?.dispose();
    await carer?.dispose();
    await manager?.dispose();
  });

  it('accepts and resolves a need a carer raised on a visit; the result is required', async () => {
    const r = await raise(carer, coordinator, '陪同就医', '下周三医院复查，子女在外地无人陪同');
    const { context, page } = await newPage(h.browser, h.server, desktop);
    await signIn(page, 'coordinator');
    await page.goto('/care?tab=alerts');
    const item = page.getByTestId(`referral-${r.id}`);
    await item.waitFor();
    // the elder (a link to their page), the need, who raised it and what they noted
    await expect
      .poll(() => item.getByRole('link', { name: r.elderName }).getAttribute('href'))
      .toBe(`/elders/${r.elderId}`);
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('陪同就医');
    expect(text).toContain(r.raisedByName);
    expect(text).toContain('下周三医院复查');
    expect(await item.getAttribute('data-status')).toBe('open');
    // the card's title counts the open ones (待处理) in the coordinator's scope
    const { counts } = (await (await coordinator.get('/api/care/referrals')).json()) as Referrals;
    const badge = page.getByTestId('care-referrals-card').locator('.ant-badge-count');
    await expect.poll(() => badge.getAttribute('title')).toBe(String(counts.open));

    await page.getByTestId(`referral-accept-${r.id}`).click();
    await expect.poll(() => item.getAttribute('data-status')).toBe('accepted');
    expect(await item.textContent()).toContain('林秀英 受理于');

    await page.getByTestId(`referral-resolve-${r.id}`).click();
    const form = page.getByTestId('referral-modal-form');
    await form.waitFor();
    await page.getByTestId('referral-modal-submit').click();
    await form.getByText(zh.resolutionRequired, { exact: true }).waitFor();
    await page.getByTestId('referral-resolution').fill('已联系社区志愿者周三陪同复查');
    await screenshot(page, 'referral-resolve.png');
    await page.getByTestId('referral-modal-submit').click();
    // finished: it leaves the working list (未办结) and shows under 已办结 with its result
    await item.waitFor({ state: 'detached' });
    await page.getByTestId('referrals-filter').getByText(zh.filters.resolved, { exact: true }).click();
    await page.getByTestId(`referral-result-${r.id}`).waitFor();
    expect(await page.getByTestId(`referral-result-${r.id}`).textContent()).toContain(
      '已联系社区志愿者周三陪同复查',
    );
    await screenshot(page, 'referrals-resolved.png');

    expect(await referral(coordinator, r.id, r.elderId)).toMatchObject({
      status: 'resolved',
      acceptedByName: '林秀英',
      resolvedByName: '林秀英',
      handlerName: '林秀英',
      resolution: '已联系社区志愿者周三陪同复查',
    });
    await context.close();
  });

  it('someone else got there first: the coordinator is told (冲突) and sees the referral as it is now', async () => {
    const r = await raise(carer, coordinator, '助浴', '洗澡不便');
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'coordinator');
    await page.goto('/care?tab=alerts');
    const item = page.getByTestId(`referral-${r.id}`);
    await item.waitFor();
    await item.scrollIntoViewIfNeeded();
    await screenshot(page, 'referrals-phone.png');
    // the manager closes it while the coordinator's page still shows it open
    const res = await manager.post(`/api/care/referrals/${r.id}/close`, {
      data: { expectedStatus: 'open', reason: '家属已安排' },
    });
    expect(res.status(), await res.text()).toBe(200);
    await page.getByTestId(`referral-accept-${r.id}`).tap();
    await page.getByText('操作冲突：该需求已被他人改为“无需处理”，请刷新后重试').waitFor();
    await item.waitFor({ state: 'detached' });
    expect(await referral(coordinator, r.id, r.elderId)).toMatchObject({
      status: 'closed',
      acceptedAt: null,
    });
    await context.close();
  });

  it("the elder's 关爱职责 tab lists that elder's referrals and works them too", async () => {
    const r = await raise(carer, coordinator, '代购药品', '降压药快吃完了');
    const { context, page } = await newPage(h.browser, h.server, desktop);
    await signIn(page, 'coordinator');
    await page.goto(`/elders/${r.elderId}`);
    await page.getByRole('tab', { name: '关爱职责' }).click();
    const card = page.getByTestId('elder-referrals');
    const item = card.getByTestId(`referral-${r.id}`);
    await item.waitFor();
    // only this elder's needs, so no elder name to link
    expect(await item.getByRole('link').count()).toBe(0);
    await card.getByTestId(`referral-close-${r.id}`).click();
    await page.getByTestId('referral-reason').fill('女儿已代购');
    await page.getByTestId('referral-modal-submit').click();
    await item.waitFor({ state: 'detached' });
    expect(await referral(coordinator, r.id, r.elderId)).toMatchObject({
      status: 'closed',
      resolution: '女儿已代购',
    });
    await context.close();
  });
});
