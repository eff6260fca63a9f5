import { describe, expect, it } from 'vitest';
import {
  browserSuite,
  chromiumPath,
  newPage,
  noChromiumMessage,
  phone,
  screenshot,
  signIn,
  zhCN,
} from './harness.ts';

// Issue 11.9: a coordinator adds volunteer accounts in scope; staff phones are masked with 查看.
// Issue 16.13: a common password is refused under its field.

describe.skipIf(!chromiumPath)('a coordinator adds volunteers', () => {
  const h = browserSuite();

  it('at 1440 px: 新增志愿者, a common password refused, the phone masked and shown with a reason', async () => {
    const { context, page } = await newPage(h.browser, h.server, {
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    await signIn(page, 'coordinator');
    await page.goto('/accounts');
    const create = page.getByTestId('account-create');
    expect((await create.innerText()).replace(/\s/g, '')).toBe(zhCN.accounts.createVolunteer);
    await create.click();
    const drawer = page.locator('.ant-drawer').filter({ has: page.getByTestId('account-form') });
    await drawer.getByText(zhCN.accounts.createVolunteerHint).waitFor();
    // no role to choose: a coordinator adds volunteers only
    expect(await drawer.locator('#role').isVisible()).toBe(false);
    await drawer.locator('#username').fill('e2e_vol_wide');
    await drawer.locator('#displayName').fill('宽屏志愿者');
    await drawer.locator('#password').fill('qwertyuiop');
    await drawer.locator('#phone').fill('138 1234 5678');
    await drawer.locator('#scopeOrgIds').click();
    await drawer.locator('#scopeOrgIds').fill('湖滨');
    await page.locator('.ant-select-tree').getByText('湖滨社区（社区/村）').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('account-save').click();
    const passwordItem = drawer.locator('.ant-form-item').filter({ has: page.locator('#password') });
    await passwordItem.getByText(/密码过于常见/).waitFor();
    await screenshot(page, 'accounts-volunteer-weak-1440.png');

    await drawer.locator('#password').fill('Lakeside-Walk-2026');
    await page.getByTestId('account-save').click();
    await page.getByText(zhCN.accounts.created).waitFor();
    await page.getByTestId('account-search').locator('input').fill('e2e_vol_wide');
    await page.getByTestId('account-search').locator('input').press('Enter');
    const row = page.getByTestId('accounts-table').locator('tr').filter({ hasText: 'e2e_vol_wide' });
    await row.getByText('138****5678').waitFor();
    expect(await row.textContent()).not.toContain('13812345678');
    expect(await row.textContent()).toContain('志愿者');

    await page.getByTestId('account-reveal-e2e_vol_wide').click();
    const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('account-reveal-form') });
    await modal.locator('input').fill('排班联系');
    await modal.getByRole('button', { name: /查\s*看/ }).click();
    await row.getByText('13812345678').waitFor();
    await screenshot(page, 'accounts-volunteer-1440.png');
    await context.close();

    // the new volunteer signs in with the password chosen
    const second = await newPage(h.browser, h.server);
    await signIn(second.page, 'e2e_vol_wide', 'Lakeside-Walk-2026');
    await second.context.close();
  });

  it('at 360 px: the same on a phone, one row per account, no sideways scrolling', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'coordinator');
    await page.goto('/accounts');
    await page.getByTestId('account-create').click();
    const drawer = page.locator('.ant-drawer').filter({ has: page.getByTestId('account-form') });
    await drawer.locator('#username').fill('e2e_vol_phone');
    await drawer.locator('#displayName').fill('手机志愿者');
    await drawer.locator('#password').fill('Lakeside-Walk-2026');
    await drawer.locator('#phone').fill('12345');
    await drawer.locator('#scopeOrgIds').click();
    await drawer.locator('#scopeOrgIds').fill('湖滨');
    await page.locator('.ant-select-tree').getByText('湖滨社区（社区/村）').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('account-save').click();
    const phoneItem = drawer.locator('.ant-form-item').filter({ has: page.locator('#phone') });
    await phoneItem.getByText('手机号码或带区号的固定电话格式不正确').waitFor();
    await screenshot(page, 'accounts-volunteer-bad-phone-360.png');
    await drawer.locator('#phone').fill('0574-87654321');
    await page.getByTestId('account-save').click();
    await page.getByText(zhCN.accounts.created).waitFor();
    await page.getByTestId('account-search').locator('input').fill('e2e_vol_phone');
    await page.getByTestId('account-search').locator('input').press('Enter');
    const row = page.getByTestId('account-row-e2e_vol_phone');
    await row.getByText('0574-****4321').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'accounts-volunteer-360.png');
    await context.close();
  });
});

if (!chromiumPath) it.skip(noChromiumMessage, () => {});
