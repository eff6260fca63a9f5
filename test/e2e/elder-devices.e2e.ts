import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../src/server/platform/db.ts';
import zhElderPage from '../../src/web/features/elder-page/locales/zh-CN.json' with { type: 'json' };
import zhElders from '../../src/web/features/elders/locales/zh-CN.json' with { type: 'json' };
import { browserSuite, chromiumPath, desktop, newPage, phone, screenshot, signIn } from './harness.ts';

const zh = zhElders.devices;
const SLOW = 30_000;

describe.skipIf(!chromiumPath)('长辈版与设备 on the elder page', { timeout: 120_000 }, () => {
  const h = browserSuite();

  it('a coordinator hands out the 长辈版 link (QR code, old link void) and registers, lists and deactivates a device', async () => {
    const { context, page } = await newPage(h.browser, h.server, desktop);
    context.setDefaultTimeout(SLOW);
    await signIn(page, 'coordinator');
    const list = await page.request.get('/api/elders?limit=1');
    expect(list.ok()).toBe(true);
    const elder = ((await list.json()) as { items: { id: number; name: string }[] }).items[0]!;
    await page.goto(`/elders/${elder.id}`);
    await page.getByTestId('elder-name').getByText(elder.name).waitFor();
    await page.getByRole('tab', { name: zhElders.page.devices }).click();

    // 长辈版链接: the confirm says the old link is void; then URL + QR code
    const generate = async (before = '') => {
      await page.getByTestId('elder-link-create').click();
      await page.locator('.ant-popconfirm').getByText(zh.linkConfirm).waitFor();
      await page
        .locator('.ant-popconfirm')
        .getByRole('button', { name: /确\s*定|OK/ })
        .click();
      await page.getByTestId('elder-link-qr').locator('canvas').waitFor();
      const url = page.getByTestId('elder-link-url');
      await expect.poll(() => url.inputValue()).toMatch(/\/elder\/[\w-]{16,}$/);
      await expect.poll(() => url.inputValue()).not.toBe(before);
      return url.inputValue();
    };
    const first = await generate();
    expect(first.startsWith(h.server.url)).toBe(true);
    await screenshot(page, 'elder-devices-link.png');

    const elderView = await context.newPage();
    await elderView.goto(first);
    await elderView
      .getByTestId('elder-hello')
      .getByText(zhElderPage.hello.replace('{{name}}', elder.name))
      .waitFor();

    // a second link voids the first
    const second = await generate(first);
    expect(second).not.toBe(first);
    await elderView.reload();
    await elderView.getByTestId('elder-gone').waitFor();
    await elderView.goto(second);
    await elderView.getByTestId('elder-hello').getByText(elder.name, { exact: false }).waitFor();
    await elderView.close();

    // shown again later, without regenerating: the same link, and the QR on the wall keeps working
    await page.reload();
    await page.getByRole('tab', { name: zhElders.page.devices }).click();
    await page.getByTestId('elder-link-show').click();
    await page.getByTestId('elder-link-qr').locator('canvas').waitFor();
    await expect.poll(() => page.getByTestId('elder-link-url').inputValue()).toBe(second);
    const status = await page.getByTestId('elder-link-status').textContent();
    expect(status).toContain('仍然有效');
    expect(status).toMatch(/\d+月\d+日 \d\d:\d\d/);
    await page.getByTestId('elder-link-print').waitFor();
    await screenshot(page, 'elder-devices-link-shown.png');
    const still = await context.newPage();
    await still.goto(second);
    await still.getByTestId('elder-hello').waitFor();
    await still.close();

    // 一键通设备: register; the secret is shown once
    await page.getByTestId('device-add').click();
    await page.getByTestId('device-form').locator('#label').fill('卧室一键通');
    await page.getByTestId('device-save').click();
    const secretBox = page.getByTestId('device-secret');
    await secretBox.getByText(zh.secretWarning).waitFor();
    const deviceId = ((await page.getByTestId('device-secret-id').textContent()) ?? '').trim();
    const secret = ((await page.getByTestId('device-secret-value').textContent()) ?? '').trim();
    expect(deviceId).toMatch(/^dev_/);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const [stored] = await rows<{ secret: string; elder_id: number }>(
      h.server.database.db,
      sql`SELECT secret, elder_id FROM devices WHERE id = ${deviceId}`,
    );
    expect(stored).toEqual({ secret, elder_id: elder.id });

    const item = page.getByTestId(`device-${deviceId}`);
    await item.getByText('卧室一键通').waitFor();
    await item.getByText(zh.active, { exact: true }).waitFor();
    await screenshot(page, 'elder-devices-secret.png');

    // closed, the secret is gone for good: not in the list, not after a reload
    await page.getByTestId('device-secret-done').click();
    await secretBox.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('tab', { name: zhElders.page.devices }).click();
    await item.waitFor();
    expect(await page.getByText(secret).count()).toBe(0);

    // 停用
    await page.getByTestId(`device-deactivate-${deviceId}`).click();
    await page.locator('.ant-popconfirm').getByText(zh.deactivateConfirm).waitFor();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await item.getByTestId('device-inactive').waitFor();
    expect(await page.getByTestId(`device-deactivate-${deviceId}`).count()).toBe(0);
    const [after] = await rows<{ active: boolean }>(
      h.server.database.db,
      sql`SELECT active FROM devices WHERE id = ${deviceId}`,
    );
    expect(after?.active).toBe(false);
    await context.close();
  });

  it('fits a phone screen', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    context.setDefaultTimeout(SLOW);
    await signIn(page, 'coordinator');
    const list = await page.request.get('/api/elders?limit=1');
    const elder = ((await list.json()) as { items: { id: number }[] }).items[0]!;
    await page.goto(`/elders/${elder.id}`);
    await page.getByRole('tab', { name: zhElders.page.devices }).click();
    await page.getByTestId('elder-link-create').click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByTestId('elder-link-qr').locator('canvas').waitFor();
    await page.getByTestId('device-add').click();
    await page.getByTestId('device-form').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'elder-devices-phone.png');
    await context.close();
  });
});
