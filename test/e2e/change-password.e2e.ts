import { type BrowserContextOptions, type Page, request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import accountsZh from '../../src/web/features/accounts/locales/zh-CN.json' with { type: 'json' };
import { browserSuite, chromiumPath, DEMO_PASSWORD, newPage, phone, signIn } from './harness.ts';

const zh = accountsZh.changePassword;

/** Opens 修改密码 from the user menu (the header's button on a phone too) and returns the modal. */
async function openPasswordModal(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: zh.menu }).click();
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('password-form') });
  await modal.locator('#currentPassword').waitFor();
  return modal;
}

function fieldOf(page: Page, id: string) {
  return page
    .getByTestId('password-form')
    .locator('.ant-form-item')
    .filter({ has: page.locator(`#${id}`) });
}

/** The login API's status for a username and password, without touching the browser's session. */
async function loginStatus(page: Page, username: string, password: string): Promise<number> {
  const anon = await request.newContext({ baseURL: new URL(page.url()).origin });
  const res = await anon.post('/api/auth/login', { data: { username, password } });
  await anon.dispose();
  return res.status();
}

async function changesOwnPassword(page: Page, username: string, newPassword: string, shot: string) {
  await signIn(page, username);
  let modal = await openPasswordModal(page);

  // in the browser: the confirmation must match, and 10 characters at least
  await modal.locator('#currentPassword').fill(DEMO_PASSWORD);
  await modal.locator('#newPassword').fill('short1');
  await modal.locator('#confirmPassword').fill('short2');
  await page.locator('#password-save').click();
  await fieldOf(page, 'newPassword').getByText(zh.newTooShort.replace('{{min}}', '10')).waitFor();
  await fieldOf(page, 'confirmPassword').getByText(zh.confirmMismatch).waitFor();

  // the server: a wrong current password, under its field, in Chinese
  await modal.locator('#currentPassword').fill('not-my-password');
  await modal.locator('#newPassword').fill(newPassword);
  await modal.locator('#confirmPassword').fill(newPassword);
  await page.locator('#password-save').click();
  await fieldOf(page, 'currentPassword').getByText('当前密码不正确').waitFor();
  await page.screenshot({ path: `/tmp/password-wrong-${shot}.png` });

  // the server: a common password, under the new password's field
  await modal.locator('#currentPassword').fill(DEMO_PASSWORD);
  await modal.locator('#newPassword').fill('5201314520');
  await modal.locator('#confirmPassword').fill('5201314520');
  await page.locator('#password-save').click();
  await fieldOf(page, 'newPassword')
    .getByText(/密码过于常见/)
    .waitFor();
  await page.screenshot({ path: `/tmp/password-weak-${shot}.png` });
  expect(await loginStatus(page, username, DEMO_PASSWORD)).toBe(200);

  // closing and reopening starts clean
  await page.keyboard.press('Escape');
  await modal.waitFor({ state: 'hidden' });
  modal = await openPasswordModal(page);
  expect(await modal.locator('#currentPassword').inputValue()).toBe('');

  await modal.locator('#currentPassword').fill(DEMO_PASSWORD);
  await modal.locator('#newPassword').fill(newPassword);
  await modal.locator('#confirmPassword').fill(newPassword);
  await page.locator('#password-save').click();
  await page.waitForURL('**/login');
  await page.getByText(zh.done).first().waitFor();
  await page.getByTestId('password-changed').getByText(zh.done).waitFor();
  await page.screenshot({ path: `/tmp/password-done-${shot}.png` });
  // signed out on the server too: the old session cookie no longer works
  expect((await page.request.get('/api/me')).status()).toBe(401);

  expect(await loginStatus(page, username, DEMO_PASSWORD)).toBe(401);
  await signIn(page, username, newPassword);
  expect((await page.request.get('/api/me')).status()).toBe(200);
}

describe.skipIf(!chromiumPath)('changing one’s own password', () => {
  const h = browserSuite();
  const wide: BrowserContextOptions = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' };

  it('at 1440 px: wrong current and common passwords refused on their fields; a good one signs out', async () => {
    const { context, page } = await newPage(h.browser, h.server, wide);
    await changesOwnPassword(page, 'doctor', 'Willow-Bridge-58', '1440');
    await context.close();
  });

  it('at 360 px: the same from the phone layout’s user menu', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await changesOwnPassword(page, 'provider', 'Harbour-Kite-31', '360');
    await context.close();
  });
});
