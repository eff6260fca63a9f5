import { describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/server/modules/demo/demo.generator.ts';
import { menuByRole } from '../../src/shared/auth.ts';
import { errorCodes } from '../../src/shared/errors.ts';
import enUS from '../../src/web/locales/en-US.json' with { type: 'json' };
import {
  browserSuite,
  chromiumPath,
  menuLabels,
  newPage,
  noChromiumMessage,
  phone,
  screenshot,
  signIn,
  zhCN,
} from './harness.ts';

const zhMenu = zhCN.menu as Record<string, string>;
const enMenu = enUS.menu as Record<string, string>;

describe.skipIf(!chromiumPath)('login, role menus, language, phone layout', () => {
  const h = browserSuite();

  it('every demo role signs in and sees its own menu, and none of the others', async () => {
    const allLabels = new Set(Object.values(zhMenu));
    for (const { username, role } of demoLogins) {
      const { context, page } = await newPage(h.browser, h.server);
      await signIn(page, username);
      const expected = menuByRole[role].map((k) => zhMenu[k]);
      expect(await menuLabels(page), role).toEqual(expected);
      for (const other of allLabels) {
        if (!expected.includes(other)) expect(await menuLabels(page)).not.toContain(other);
      }
      await expect.poll(() => page.getByTestId('my-role').textContent()).toBe(zhCN.role[role]);
      await context.close();
    }
  });

  it('a page outside the role menu is refused, even by its address', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'dispatcher');
    await page.goto('/accounts');
    await page.getByText(zhCN.errors.forbiddenTitle).waitFor();
    await context.close();
  });

  it('a wrong password shows the API message in Chinese; five lock the account (423)', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await page.goto('/login');
    await page.locator('#username').fill('carer05');
    for (let i = 1; i <= 5; i++) {
      await page.locator('#password').fill(`wrong-${i}`);
      await page.getByTestId('login-submit').click();
      const expected = i < 5 ? errorCodes.BAD_CREDENTIALS.zh : errorCodes.ACCOUNT_LOCKED.zh;
      await expect.poll(() => page.getByTestId('login-error').textContent()).toBe(expected);
    }
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('switches to English, keeps it across a reload, and the API answers in English', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'manager');
    expect(await menuLabels(page)).toEqual(menuByRole.manager.map((k) => zhMenu[k]));

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => menuLabels(page)).toEqual(menuByRole.manager.map((k) => enMenu[k]));
    await page.reload();
    await page.getByTestId('main-menu').first().waitFor();
    expect(await menuLabels(page)).toEqual(menuByRole.manager.map((k) => enMenu[k]));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');

    // Accept-Language follows the switch: the server's own message comes back in English
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: enUS.layout.logout }).click();
    await page.getByTestId('login-submit').waitFor();
    await page.locator('#username').fill('manager');
    await page.locator('#password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect
      .poll(() => page.getByTestId('login-error').textContent())
      .toBe(errorCodes.BAD_CREDENTIALS.en);

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('login-submit').textContent()).toMatch(/登\s*录/);
    await page.reload();
    await expect.poll(() => page.getByTestId('login-submit').textContent()).toMatch(/登\s*录/);
    await context.close();
  });

  it('renders Chinese with real glyphs (screenshot, and two characters draw different pixels)', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'admin');
    await page.getByTestId('my-scopes').waitFor();
    const file = await screenshot(page, 'zh-dashboard.png');
    expect(file).toMatch(/zh-dashboard\.png$/);

    const glyphs = await page.evaluate(() => {
      const font = getComputedStyle(document.body).fontFamily;
      const draw = (ch: string) => {
        const c = document.createElement('canvas');
        c.width = 64;
        c.height = 64;
        const x = c.getContext('2d')!;
        x.fillStyle = '#fff';
        x.fillRect(0, 0, 64, 64);
        x.fillStyle = '#000';
        x.font = `48px ${font}`;
        x.textBaseline = 'top';
        x.fillText(ch, 8, 4);
        const d = x.getImageData(0, 0, 64, 64).data;
        const bits: number[] = [];
        for (let i = 0; i < d.length; i += 4) bits.push(d[i] < 128 ? 1 : 0);
        return bits;
      };
      const ink = (b: number[]) => b.reduce((s, v) => s + v, 0);
      const diff = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v === b[i] ? 0 : 1), 0);
      // a private-use code point has no glyph in any font: it draws the "tofu" box, or nothing
      const [guan, ai, tofu] = [draw('关'), draw('爱'), draw('\uE000')];
      return {
        inkGuan: ink(guan),
        inkAi: ink(ai),
        guanVsAi: diff(guan, ai),
        guanVsTofu: diff(guan, tofu),
        cjkFont: document.fonts.check('16px "Noto Sans CJK SC"'),
        title: document.querySelector('h3')?.textContent ?? '',
      };
    });
    expect(glyphs.inkGuan).toBeGreaterThan(60);
    expect(glyphs.inkAi).toBeGreaterThan(60);
    expect(glyphs.guanVsAi).toBeGreaterThan(60);
    expect(glyphs.guanVsTofu).toBeGreaterThan(60);
    expect(glyphs.cjkFont).toBe(true);
    expect(glyphs.title).toContain('系统管理员');
    await context.close();
  });

  it('works on a 360×740 phone: the menu sits behind the hamburger, pages fit the width', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'admin');
    expect(await page.getByTestId('main-menu').count()).toBe(0);
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('main-menu').waitFor();
    await page.waitForTimeout(400); // the drawer's slide-in, for the screenshot
    expect(await menuLabels(page)).toEqual(menuByRole.admin.map((k) => zhMenu[k]));
    await screenshot(page, 'phone-menu.png');

    await page.getByRole('menuitem', { name: zhMenu.accounts }).click();
    await page.waitForURL(/\/accounts$/);
    await page.getByTestId('accounts-list').getByText('admin', { exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('main-menu').isVisible()).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-accounts.png');

    await page.goto('/orgs');
    await page.locator('[data-org-name="湖滨社区"]').waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-orgs.png');
    await context.close();
  });
});

if (!chromiumPath) it.skip(noChromiumMessage, () => {});
