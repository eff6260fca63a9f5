import { describe, expect, it } from 'vitest';
import { menuByRole } from '../../src/shared/auth.ts';
import type { Org } from '../../src/shared/orgs.ts';
import {
  browserSuite,
  chromiumPath,
  menuLabels,
  newPage,
  noChromiumMessage,
  openMenu,
  screenshot,
  signIn,
  zhCN,
} from './harness.ts';

const save = /保\s*存/;

describe.skipIf(!chromiumPath)('org tree, accounts and audit pages', () => {
  const h = browserSuite();

  it('an administrator adds a grid under a community', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'admin');
    await openMenu(page, zhCN.menu.orgs);
    const community = page.locator('[data-org-name="湖滨社区"]');
    await community.getByTestId('org-add-child').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '湖滨社区' });
    await modal.locator('#name').fill('第9网格（测试楼组）');
    await modal.locator('#code').fill('E2E-09');
    await modal.getByRole('button', { name: save }).click();
    await page.locator('[data-org-name="第9网格（测试楼组）"]').waitFor();
    await screenshot(page, 'orgs-grid-added.png');

    const { items } = (await (await page.request.get('/api/orgs?tree=geo')).json()) as { items: Org[] };
    const parent = items.find((o) => o.name === '湖滨社区')!;
    const grid = items.find((o) => o.name === '第9网格（测试楼组）');
    expect(grid).toMatchObject({ kind: 'grid', parentId: parent.id, code: 'E2E-09' });
    await context.close();
  });

  it('an empty name is refused next to the field, and a grid offers no "add child"', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'admin');
    await openMenu(page, zhCN.menu.orgs);
    await page.locator('[data-org-name="春晖社区"]').getByTestId('org-add-child').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '春晖社区' });
    await modal.getByRole('button', { name: save }).click();
    await modal.getByText(zhCN.orgs.nameRequired).waitFor();
    await modal.getByRole('button', { name: /取\s*消/ }).click();

    // "add child" opened the community: its grids are on screen, and a grid has no children of its own
    const grid = page.locator('[data-org-name^="第1网格"]').first();
    await grid.waitFor();
    await grid.getByTestId('org-rename').waitFor();
    expect(await grid.getByTestId('org-add-child').count()).toBe(0);
    await context.close();
  });

  it('the org tree is read-only for a coordinator and shows only their street', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'coordinator');
    await openMenu(page, zhCN.menu.orgs);
    await page.locator('[data-org-name="湖滨社区"]').waitFor();
    await page.getByText(zhCN.orgs.readOnly).waitFor();
    expect(await page.getByTestId('org-add-child').count()).toBe(0);
    expect(await page.getByTestId('org-delete').count()).toBe(0);
    expect(await page.locator('[data-org-name="桂园街道"]').count()).toBe(0);
    await context.close();
  });

  it('an administrator creates an account; a taken username is flagged under its field', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'admin');
    await openMenu(page, zhCN.menu.accounts);
    await page.getByTestId('account-create').click();
    const drawer = page.locator('.ant-drawer').filter({ has: page.getByTestId('account-form') });
    await drawer.locator('#username').fill('manager');
    await drawer.locator('#displayName').fill('测试志愿者');
    await drawer.locator('#password').fill('carecircle-e2e');
    await drawer.locator('#phone').fill('13800000000');
    await drawer.locator('#scopeOrgIds').click();
    await drawer.locator('#scopeOrgIds').fill('湖滨');
    await page.locator('.ant-select-tree').getByText('湖滨社区（社区/村）').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('account-save').click();

    // the server's 409 with a detail on `username` lands under the username field
    const usernameItem = drawer.locator('.ant-form-item').filter({ has: page.locator('#username') });
    await usernameItem.getByText('用户名已被占用').waitFor();

    await drawer.locator('#username').fill('e2e_volunteer');
    await page.getByTestId('account-save').click();
    await page.getByText(zhCN.accounts.created).waitFor();
    await page.getByTestId('account-search').locator('input').fill('e2e_volunteer');
    await page.getByTestId('account-search').locator('input').press('Enter');
    const row = page.getByTestId('accounts-table').locator('tr').filter({ hasText: 'e2e_volunteer' });
    await row.waitFor();
    expect(await row.textContent()).toContain('测试志愿者');
    expect(await row.textContent()).toContain('湖滨社区');
    await screenshot(page, 'accounts-created.png');
    await context.close();

    // the new account signs in and gets the carer's menu
    const second = await newPage(h.browser, h.server);
    await signIn(second.page, 'e2e_volunteer', 'carecircle-e2e');
    const zhMenu = zhCN.menu as Record<string, string>;
    expect(await menuLabels(second.page)).toEqual(menuByRole.carer.map((k) => zhMenu[k]));
    await second.context.close();
  });

  it('an administrator unlocks a locked account, resets its password and can deactivate it', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    for (let i = 0; i < 5; i++) {
      await page.request.post('/api/auth/login', { data: { username: 'carer06', password: `wrong-${i}` } });
    }
    await signIn(page, 'admin');
    await openMenu(page, zhCN.menu.accounts);
    await page.getByTestId('account-search').locator('input').fill('carer06');
    await page.getByTestId('account-search').locator('input').press('Enter');
    const row = page.getByTestId('accounts-table').locator('tr').filter({ hasText: 'carer06' });
    await row.getByText(zhCN.accounts.locked).waitFor();

    await page.getByTestId('account-edit-carer06').click();
    const drawer = page.locator('.ant-drawer').filter({ has: page.getByTestId('account-form') });
    await drawer.getByText(zhCN.accounts.lockedHint).waitFor();
    await drawer.getByRole('button', { name: /解\s*锁/ }).click();
    await page.getByText(zhCN.accounts.unlocked).waitFor();
    await page.locator('.ant-drawer-open').waitFor({ state: 'detached' });
    await row.getByText(zhCN.accounts.active).waitFor();

    await page.getByTestId('account-edit-carer06').click();
    await drawer.locator('#password').fill('new-password-06');
    await page.getByTestId('account-save').click();
    await page.getByText(zhCN.accounts.saved).waitFor();
    await page.locator('.ant-drawer-open').waitFor({ state: 'detached' });
    // signs in from elsewhere (not this browser, whose cookies are the administrator's)
    const carerLogin = () =>
      fetch(`${h.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'carer06', password: 'new-password-06' }),
      });
    expect((await carerLogin()).status).toBe(200);

    await page.getByTestId('account-edit-carer06').click();
    await drawer.locator('#active').click();
    await page.getByTestId('account-save').click();
    await row.getByText(zhCN.accounts.inactive).waitFor();
    expect((await carerLogin()).status).toBe(401);
    await context.close();
  });

  it('the audit log reads as sentences, folds repeated views, filters and loads older entries on demand', async () => {
    // 60 failed sign-ins make more than one page (50) of audit entries
    const { context, page } = await newPage(h.browser, h.server);
    for (let i = 0; i < 60; i++) {
      await page.request.post('/api/auth/login', { data: { username: 'nobody', password: `x${i}` } });
    }
    await signIn(page, 'admin');
    // the administrator opens one elder's record three times within a minute: one line, ×3
    const elder = (await (await page.request.get('/api/elders?limit=1')).json()).items[0];
    for (let i = 0; i < 3; i++) expect((await page.request.get(`/api/elders/${elder.id}`)).ok()).toBe(true);
    await openMenu(page, zhCN.menu.audit);
    const table = page.getByTestId('audit-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(50);
    await page.getByTestId('audit-more').click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(60);
    await page.getByText(zhCN.audit.noMore).waitFor();
    const first = await table.locator('tbody tr.ant-table-row').first().innerText();
    expect(first).toContain(`系统管理员 查看了 ${elder.name} 的档案 ×3`);
    expect(await table.innerText()).toContain('nobody 登录失败');
    // no raw codes, JSON or ISO timestamps reach a person
    const text = await table.innerText();
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T|[{}]|elder\.view|auth\.login/);
    expect(first).toMatch(/\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'audit-1440.png');

    // filter by the person and the kind of action
    await page.locator('#actor').fill('admin');
    await page.locator('#action').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '登录与退出' }).click();
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBeLessThan(10);
    const lines = await table.getByTestId('audit-line').allInnerTexts();
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toContain('系统管理员 登录了系统');
    await page.setViewportSize({ width: 360, height: 780 });
    await screenshot(page, 'audit-360.png');
    await context.close();
  });
});

if (!chromiumPath) it.skip(noChromiumMessage, () => {});
