import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiAs, browserSuite, chromiumPath, newPage, phone, screenshot, signIn } from './harness.ts';
import { pickElder, query } from './incidents-helpers.ts';

// Issue 11.3: a morning review must be able to see the night — resolved incidents, the follow-ups owed,
// and each elder's incidents on their page.
describe.skipIf(!chromiumPath)('incident history and follow-ups', () => {
  const h = browserSuite();

  it('from the console: the night in the history with its story, the follow-up queue overdue first, the elder page 事件 tab', async () => {
    const elder = await pickElder(h.server);
    const api = await apiAs(h.server.url, 'dispatcher');
    const raise = async (summary: string) => {
      const res = await api.post('/api/incidents', {
        data: { elderId: elder.id, kind: 'sos_hotline', summary },
      });
      expect(res.status(), await res.text()).toBe(201);
      return ((await res.json()) as { incident: { id: number } }).incident.id;
    };
    const post = async (path: string, data: unknown) => {
      const res = await api.post(path, { data });
      expect(res.status(), await res.text()).toBe(200);
    };
    // one resolved in the night, one resolved and owed a follow-up that is already overdue
    const night = await raise('E2E 夜间热线求助');
    await post(`/api/incidents/${night}/acknowledge`, {});
    await post(`/api/incidents/${night}/transition`, { to: 'resolved', outcome: 'handled_at_home' });
    const owed = await raise('E2E 需回访');
    await post(`/api/incidents/${owed}/transition`, {
      to: 'resolved',
      outcome: 'to_hospital',
      note: '区人民医院',
    });
    await post(`/api/incidents/${owed}/transition`, { to: 'follow_up' });
    await query(
      h.server,
      sql`UPDATE incidents SET follow_up_due_at = now() - interval '2 hours' WHERE id = ${owed}`,
    );
    // issue 11.4: the archive card names the family doctor and the community workers, with phones
    const archive = (
      (await (await api.get(`/api/incidents/${night}`)).json()) as {
        archive: {
          familyDoctors: { name: string; phone: string | null }[];
          communityWorkers: { name: string; phone: string | null }[];
        };
      }
    ).archive;
    expect(archive.communityWorkers.length).toBeGreaterThan(0);
    await api.dispose();

    for (const [label, opts] of [
      ['desktop', { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' }],
      ['phone', phone],
    ] as const) {
      const { context, page } = await newPage(h.browser, h.server, opts);
      await signIn(page, 'dispatcher');
      if (label === 'desktop') {
        await page.goto(`/incidents/${night}`);
        const workers = page.getByTestId('archive-community-workers');
        for (const w of archive.communityWorkers) {
          await workers.getByText(w.name).waitFor();
          if (w.phone) expect(await workers.locator(`a[href="tel:${w.phone}"]`).count()).toBe(1);
        }
        const doctors = page.getByTestId('archive-doctors');
        for (const d of archive.familyDoctors) {
          await doctors.getByText(d.name).waitFor();
          if (d.phone) expect(await doctors.locator(`a[href="tel:${d.phone}"]`).count()).toBe(1);
        }
        await screenshot(page, 'incident-archive-workers-desktop.png');
      }
      await page.goto('/incidents');
      // the console leads to the history, and says how many follow-ups are overdue
      await page
        .getByTestId('open-follow-ups')
        .getByText(/回访逾期/)
        .waitFor();
      await page.getByTestId('open-history').click();
      await page.waitForURL('**/incidents/history');
      const item = page.getByTestId(`history-item-${night}`);
      await item.waitFor();
      const text = (await item.textContent())!;
      expect(text).toMatch(/\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
      expect(text).toContain('已处置');
      expect(text).toContain('热线求助');
      expect(text).toContain('居家处置');
      expect(text).toContain(elder.name);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:|sos_hotline|handled_at_home|resolved/);
      await item.getByTestId('history-story-toggle').click();
      const story = item.getByTestId('history-story');
      await story.locator('[data-testid="timeline-entry"][data-type="resolved"]').waitFor();
      expect(await story.getByTestId('incident-responsible').textContent()).toMatch(/调度|dispatcher/);
      expect(await story.textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      // filters: the kind narrows it; the state filter reads in Chinese
      await page.getByTestId('history-state').click();
      await page.locator('.ant-select-item-option').getByText('回访跟进', { exact: true }).click();
      await page.getByTestId(`history-item-${owed}`).waitFor();
      await expect.poll(() => page.getByTestId(`history-item-${night}`).count()).toBe(0);
      await screenshot(page, `incident-history-${label}.png`);

      // the follow-up queue: overdue, with its due time, first
      await page.getByTestId('follow-ups-tab').click();
      const due = page.getByTestId('follow-up-list').locator(`[data-testid="history-item-${owed}"]`);
      await due.waitFor();
      expect(await due.getAttribute('data-overdue')).toBe('true');
      expect(await due.getByTestId('follow-up-due').textContent()).toMatch(
        /回访时间：\d{1,2}月\d{1,2}日 \d{2}:\d{2}前.*已逾期/,
      );
      const first = page.getByTestId('follow-up-list').locator('[data-testid^="history-item-"]').first();
      expect(await first.getAttribute('data-overdue')).toBe('true');
      await screenshot(page, `incident-follow-ups-${label}.png`);
      if (label === 'phone') {
        await due.getByTestId('follow-up-done').click();
        await due.getByTestId('follow-up-save').click();
        await due.getByText('请填写回访情况').waitFor();
        await due.getByTestId('follow-up-note').fill('电话回访，老人已出院在家');
        await due.getByTestId('follow-up-save').click();
        await expect
          .poll(() => page.getByTestId('follow-up-list').getByTestId(`history-item-${owed}`).count())
          .toBe(0);
      }

      // the elder's page: 事件 tab lists the elder's incidents with their stories
      await page.goto(`/elders/${elder.id}`);
      await page.getByRole('tab', { name: '事件' }).click();
      const mine = page.getByTestId('elder-incidents');
      await mine.locator(`[data-testid="history-item-${night}"]`).waitFor();
      await mine.locator(`[data-testid="history-item-${owed}"]`).waitFor();
      const row = mine.locator(`[data-testid="history-item-${owed}"]`);
      await row.getByTestId('history-story-toggle').click();
      await row.locator('[data-testid="timeline-entry"][data-type="opened"]').waitFor();
      if (label === 'phone') {
        await row
          .locator('[data-testid="timeline-entry"][data-type="followed_up"]')
          .getByText('电话回访')
          .waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width).toBeLessThanOrEqual(360);
      }
      await screenshot(page, `elder-incidents-${label}.png`);
      await context.close();
    }
  }, 240_000);
});
