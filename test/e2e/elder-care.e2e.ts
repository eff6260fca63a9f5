import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { dutiesResponse } from '../../src/shared/care.ts';
import { browserSuite, chromiumPath, newPage, phone, screenshot, signIn } from './harness.ts';

type Duty = z.infer<typeof dutiesResponse>['items'][number];

async function dutiesOf(page: Page, elderId: number): Promise<Duty[]> {
  const res = await page.request.get(`/api/duties?elderId=${elderId}&limit=100`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: Duty[] }).items;
}

/** A Shanghai calendar date `days` from today. */
function shanghaiDay(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

describe.skipIf(!chromiumPath)("care duties on the elder's page", () => {
  const h = browserSuite();

  it('a coordinator sets the daily deadline, pauses the duties with a reason and an end date, then resumes them', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'coordinator');
    const res = await page.request.get('/api/duties?templateKey=daily_checkin&limit=50');
    // an elder still on the default deadline and not paused (a retry of this test takes the next one)
    const daily = ((await res.json()) as { items: Duty[] }).items.find(
      (d) => !d.pausedUntil && d.deadlineTime === '20:00',
    );
    expect(daily, 'a demo elder with a daily check-in in the coordinator’s street').toBeDefined();
    const elderId = daily!.elderId;

    await page.goto(`/elders/${elderId}`);
    await page.getByRole('tab', { name: '关爱职责' }).click();
    const panel = page.getByTestId('elder-care');
    const list = panel.getByTestId('elder-duties');
    await list.getByText(daily!.templateName).first().waitFor();

    // the daily deadline: 20:00 by default, set to 19:30, kept after a reload
    const deadline = panel.getByTestId('deadline-form');
    await expect.poll(() => deadline.locator('#time').inputValue()).toBe('20:00');
    await deadline.locator('#time').click();
    await deadline.locator('#time').fill('19:30');
    await deadline.locator('#time').press('Tab');
    await deadline.getByTestId('deadline-save').click();
    await page.getByText('截止时间已保存').waitFor();
    await expect
      .poll(async () => (await dutiesOf(page, elderId)).find((d) => d.id === daily!.id)?.deadlineTime)
      .toBe('19:30');
    await page.reload();
    await page.getByRole('tab', { name: '关爱职责' }).click();
    await expect.poll(() => page.getByTestId('deadline-form').locator('#time').inputValue()).toBe('19:30');

    // pause: the end date is required; 外出 until five days from now
    await panel.getByTestId('duties-pause').click();
    const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('pause-form') });
    await modal.getByTestId('pause-submit').click();
    await modal.getByText('请选择恢复日期').waitFor();
    await modal.getByText('外出', { exact: true }).click();
    const until = shanghaiDay(5);
    await modal.locator('#until').click();
    await modal.locator('#until').fill(until);
    await modal.locator('#until').press('Enter');
    await modal.locator('#note').fill('去女儿家住几天');
    await modal.getByTestId('pause-submit').click();
    await page.getByText(/已暂停 \d+ 项关爱职责/).waitFor();
    const status = panel.getByTestId('pause-status');
    await status.getByText(`关爱职责已暂停（外出），${until} 自动恢复`).waitFor();
    const paused = await dutiesOf(page, elderId);
    const stillRunning = paused.filter((d) => !d.pausedUntil);
    expect(stillRunning.every((d) => d.templateKey === 'hospital_visit')).toBe(true);
    expect(paused.find((d) => d.id === daily!.id)).toMatchObject({ pauseReason: 'travelling' });
    expect(await list.getByText('已暂停').count()).toBeGreaterThan(0);
    await screenshot(page, 'elder-care-paused.png');

    // resume early
    await panel.getByTestId('duties-resume').click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText(/已恢复 \d+ 项关爱职责/).waitFor();
    await status.waitFor({ state: 'detached' });
    expect((await dutiesOf(page, elderId)).filter((d) => d.pausedUntil)).toEqual([]);
    await context.close();
  });

  it('on a phone the care tab fits the width and the pause form opens', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'coordinator');
    const res = await page.request.get('/api/duties?templateKey=daily_checkin&limit=50');
    const daily = ((await res.json()) as { items: Duty[] }).items.find((d) => !d.pausedUntil);
    await page.goto(`/elders/${daily!.elderId}`);
    // the tab bar scrolls sideways on a phone; the tab may sit half under its "more" button
    await page.getByRole('tab', { name: '关爱职责' }).dispatchEvent('click');
    const panel = page.getByTestId('elder-care');
    await panel.getByTestId('elder-duties').getByText(daily!.templateName).first().waitFor();
    await panel.getByTestId('deadline-form').waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await panel.getByTestId('duties-pause').click();
    await page.getByTestId('pause-form').waitFor();
    const submit = (await page.getByTestId('pause-submit').boundingBox())!;
    expect(submit.x + submit.width).toBeLessThanOrEqual(360);
    await screenshot(page, 'elder-care-phone.png');
    await context.close();
  });

  it('the care tab is not offered to a dispatcher', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'dispatcher');
    const res = await page.request.get('/api/elders?limit=1');
    const { items } = (await res.json()) as { items: { id: number }[] };
    await page.goto(`/elders/${items[0].id}`);
    await page.getByTestId('elder-name').waitFor();
    await page.getByRole('tab', { name: '关爱圈' }).waitFor();
    expect(await page.getByRole('tab', { name: '关爱职责' }).count()).toBe(0);
    await context.close();
  });
});
