import { describe, expect, it } from 'vitest';
import {
  apiAs,
  browserSuite,
  chromiumPath,
  newPage,
  openMenu,
  phone,
  screenshot,
  signIn,
  zhCN,
} from './harness.ts';

/** The escalation ladder of one kind as the API answers it. */
async function ladderOf(page: import('playwright-core').Page, kind: string) {
  const res = await page.request.get(`/api/ladders/${kind}`);
  return (await res.json()) as {
    steps: { whom: string; waitSeconds: number; circleCount?: number }[];
    throttleSeconds: number;
    updatedAt: string | null;
  };
}

describe.skipIf(!chromiumPath)('escalation ladder editor', () => {
  const h = browserSuite();

  it('an administrator changes a wait time, saves, and the reload shows it', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'admin');
    await openMenu(page, zhCN.menu.ladders);
    await page.waitForURL('**/ladders');
    const form = page.getByTestId('ladder-form');
    await form.getByTestId('ladder-updated').waitFor();
    const other = await ladderOf(page, 'sos_device');

    // the fall alarm's ladder: the circle's step shows how many contacts it calls
    await page.getByTestId('ladder-kind').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '跌倒报警' }).click();
    const before = await ladderOf(page, 'fall');
    const wait = form.locator('#steps_0_waitSeconds');
    await expect.poll(() => wait.inputValue()).toBe(String(before.steps[0].waitSeconds));
    await wait.fill('45');
    await form.locator('#throttleSeconds').fill('90');
    await form.getByTestId('ladder-save').click();
    await page.getByText('升级规则已保存').waitFor();
    await form
      .getByTestId('ladder-updated')
      .getByText(/上次修改/)
      .waitFor();

    const after = await ladderOf(page, 'fall');
    expect(after.steps[0].waitSeconds).toBe(45);
    expect(after.throttleSeconds).toBe(90);
    expect(after.steps).toHaveLength(before.steps.length);
    expect(after.updatedAt).not.toBeNull();

    await page.reload();
    await page.getByTestId('ladder-kind').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '跌倒报警' }).click();
    await expect.poll(() => page.locator('#steps_0_waitSeconds').inputValue()).toBe('45');
    expect(await page.locator('#throttleSeconds').inputValue()).toBe('90');
    // another kind kept its own ladder
    expect(await ladderOf(page, 'sos_device')).toEqual(other);
    await screenshot(page, 'ladders-saved.png');
    await context.close();
  });

  it('a bad value is refused in Chinese next to its field, and nothing is saved', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'admin');
    await page.goto('/ladders');
    const form = page.getByTestId('ladder-form');
    const before = await ladderOf(page, 'sos_device');

    const step2 = form.getByTestId('ladder-step-1');
    await step2.locator('#steps_1_waitSeconds').fill('90000');
    await step2.locator('#steps_1_circleCount').fill('0');
    await form.getByTestId('ladder-save').click();
    await step2
      .locator('.ant-form-item')
      .filter({ has: page.locator('#steps_1_waitSeconds') })
      .getByText('等待时间最长 86400 秒（24 小时）')
      .waitFor();
    await step2
      .locator('.ant-form-item')
      .filter({ has: page.locator('#steps_1_circleCount') })
      .getByText('通知人数至少 1 人')
      .waitFor();
    await form.getByTestId('ladder-errors').waitFor();
    // the other steps carry no error
    expect(await form.getByTestId('ladder-step-0').locator('.ant-form-item-explain-error').count()).toBe(0);
    await screenshot(page, 'ladders-refused.png');
    expect(await ladderOf(page, 'sos_device')).toEqual(before);

    // 110/120 step without a number: the server's own rule, next to that field
    await step2.locator('#steps_1_waitSeconds').fill('180');
    await step2.locator('#steps_1_circleCount').fill('2');
    const last = form.getByTestId(`ladder-step-${before.steps.length - 1}`);
    await last.locator('.ant-select-clear').click({ force: true });
    await form.getByTestId('ladder-save').click();
    await last.getByText('请选择要拨打的急救/报警电话').waitFor();
    // the first try's errors are gone (they fade out)
    await expect.poll(() => step2.locator('.ant-form-item-explain-error').count()).toBe(0);
    expect(await ladderOf(page, 'sos_device')).toEqual(before);
    await context.close();
  });

  it('the ladder editor is for administrators only', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'dispatcher');
    await page.goto('/ladders');
    await page.getByText(zhCN.errors.forbiddenTitle).waitFor();
    expect(await page.getByTestId('ladder-form').count()).toBe(0);
    await context.close();
  });

  it('an administrator of a street reads the ladder and the care policy, with no edit button (decision 0013)', async () => {
    // the demo has no street-scoped admin: the city's admin makes one
    const admin = await apiAs(h.server.url, 'admin');
    const orgs = (await (await admin.get('/api/orgs?tree=geo')).json()) as {
      items: { id: number; kind: string }[];
    };
    const street = orgs.items.find((o) => o.kind === 'street')!;
    const password = 'Street-Admin-Ladder-7';
    const created = await admin.post('/api/accounts', {
      data: {
        username: 'e2e_street_admin',
        displayName: '街道管理员',
        password,
        role: 'admin',
        scopeOrgIds: [street.id],
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    await admin.dispose();

    for (const [opts, shot] of [
      [undefined, '1280'],
      [phone, '360'],
    ] as const) {
      const { context, page } = await newPage(h.browser, h.server, opts);
      await signIn(page, 'e2e_street_admin', password);
      await page.goto('/ladders');
      const form = page.getByTestId('ladder-form');
      await form.getByTestId('ladder-updated').waitFor();
      await page.getByTestId('city-config-readonly').getByText(zhCN.layout.cityConfigReadOnly).waitFor();
      expect(await form.getByTestId('ladder-save').count()).toBe(0);
      expect(await form.getByTestId('ladder-add-step').count()).toBe(0);
      expect(await form.getByTestId('ladder-step-0-remove').count()).toBe(0);
      expect(await form.locator('#throttleSeconds').isDisabled()).toBe(true);
      await screenshot(page, `ladders-street-admin-${shot}.png`);
      await page.screenshot({ path: `/tmp/ladders-street-admin-${shot}.png`, fullPage: true });

      // the care policy: readable, nothing to switch, date or re-plan
      await page.goto('/care?tab=policy');
      await page.getByTestId('rule-condition').first().waitFor();
      await page.getByTestId('city-config-readonly').waitFor();
      expect(await page.getByTestId('policy-replan').count()).toBe(0);
      const switches = page.getByTestId('rule-active').or(page.getByTestId('template-active'));
      expect(await switches.count()).toBeGreaterThan(0);
      for (const sw of await switches.all()) expect(await sw.isDisabled()).toBe(true);
      await page.screenshot({ path: `/tmp/policy-street-admin-${shot}.png`, fullPage: true });
      await context.close();
    }

    // the city's admin still edits
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'admin');
    await page.goto('/ladders');
    await page.getByTestId('ladder-form').getByTestId('ladder-save').waitFor();
    expect(await page.getByTestId('city-config-readonly').count()).toBe(0);
    await page.goto('/care?tab=policy');
    await page.getByTestId('policy-replan').waitFor();
    await context.close();
  });
});
