import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rows } from '../../src/server/platform/db.ts';
import { browserSuite, chromiumPath, desktop, newPage, phone, screenshot, signIn } from './harness.ts';

// Issue 11.9: the import wizard answers each unknown community name once (not 120 problem rows),
// and its counts add up.

// beside the repository (../shared/data) on CI; a worktree two levels down finds it at /work/shared
const sampleRoster =
  [
    path.resolve('../shared/data/sample-roster.xlsx'),
    path.resolve('../../shared/data/sample-roster.xlsx'),
  ].find((p) => fs.existsSync(p)) ?? path.resolve('../shared/data/sample-roster.xlsx');
const SLOW = 30_000;

async function pick(page: Page, testId: string, typed: string, option: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

const count = (page: Page, k: string) =>
  page.getByTestId(`count-${k}`).locator('.ant-statistic-content-value').textContent();

describe.skipIf(!chromiumPath)('roster import: unknown communities', { timeout: 180_000 }, () => {
  const h = browserSuite();

  it('maps each unknown community in one step, creates one under a street, and the counts add up', async () => {
    expect(fs.existsSync(sampleRoster), sampleRoster).toBe(true);
    for (const size of [phone, desktop]) {
      const { context, page } = await newPage(h.browser, h.server, size);
      context.setDefaultTimeout(SLOW);
      await signIn(page, 'coordinator');
      await page.goto('/elders/import');
      await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(sampleRoster);
      await page.getByTestId('import-check').click();
      const card = page.getByTestId('import-communities');
      await card.waitFor();
      const names = await card.locator('tr.ant-table-row > td:first-child').allTextContents();
      expect([...names].sort()).toEqual(['交大二村社区', '兴庆社区']);
      // one row per name, not one problem row per elder; every data row is counted once
      expect(await page.getByTestId('import-problems').locator('tr.ant-table-row').count()).toBeLessThan(5);
      expect(await count(page, 'total')).toBe('120');
      expect(await count(page, 'valid')).toBe('0');
      expect(await count(page, 'invalid')).toBe('120');
      if (size === phone) {
        await screenshot(page, 'import-communities-360.png');
        await context.close();
        continue;
      }
      const row = (name: string) => names.indexOf(name);
      await pick(page, `community-${row('兴庆社区')}`, '湖滨', '湖滨社区');
      await pick(page, `community-${row('交大二村社区')}`, '新建', /新建，上级街道/);
      await page.getByTestId('import-recheck').click();
      await expect.poll(() => count(page, 'valid')).toBe('117');
      expect(await count(page, 'total')).toBe('120');
      expect(await count(page, 'invalid')).toBe('3');
      await screenshot(page, 'import-communities-1440.png');
      await page.getByTestId('import-new-communities').getByText('交大二村社区').waitFor();
      await page.getByTestId('import-commit').click();
      await page.locator('#import-confirm-ok').click();
      await page.getByTestId('import-result').getByText('导入完成：新建 117 位').waitFor();
      const placed = await rows<{ name: string; kind: string; n: number }>(
        h.server.database.db,
        sql`SELECT o.name, o.kind, count(*)::int AS n FROM elders e JOIN orgs o ON o.id = e.org_id
            WHERE e.id_number LIKE '610113%' GROUP BY o.name, o.kind ORDER BY o.name`,
      );
      expect(placed.map((p) => p.name).sort()).toEqual(['交大二村社区', '湖滨社区']);
      expect(placed.reduce((a, p) => a + p.n, 0)).toBe(117);
      await context.close();
    }
  });
});
