import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sweepOnce } from '../../src/server/platform/sweeper.ts';
import { browserSuite, chromiumPath, newPage, phone, screenshot, signIn } from './harness.ts';
import { asAdmin, deviceEvent, pickElder, query } from './incidents-helpers.ts';

// A relative's 收到 is knowing (已知晓), 我去看看 is taking it on (负责人): decision 0008.
describe.skipIf(!chromiumPath)('the acknowledgement link: 收到 is knowing, 我去看看 is taking it on', () => {
  const h = browserSuite();

  it('offers both answers in clear Chinese; the console shows 已知晓 and still alarms, then 负责人', async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const { device, secret } = await admin.post<{ device: { id: string }; secret: string }>('/api/devices', {
      elderId: elder.id,
      kind: 'one_key_phone',
      label: 'E2E 确认链接',
    });
    await admin.close();

    const { page } = await newPage(h.browser, h.server, {
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    await signIn(page, 'dispatcher');
    const { incidentId } = await deviceEvent(h.server, device.id, secret);
    await page.goto(`/incidents/${incidentId}`);
    const card = page.getByTestId('incident-card');
    await card.getByTestId('incident-responsible').getByText('暂无人接手').waitFor();

    // the ladder reaches the circle: an SMS with the link
    await sweepOnce(h.server.app.deps, new Date(Date.now() + 61_000));
    const [sms] = await query<{ body: string; recipient_label: string }>(
      h.server,
      sql`SELECT body, recipient_label FROM notifications WHERE incident_id = ${incidentId} AND channel = 'sms'
          ORDER BY id LIMIT 1`,
    );
    const token = /\/ack\/([A-Za-z0-9_-]+)/.exec(sms.body)![1];

    const rel = await newPage(h.browser, h.server, phone);
    await rel.page.goto(`/ack/${token}`);
    await rel.page.getByTestId('ack-what').getByText(elder.name).waitFor();
    const received = rel.page.getByTestId('ack-received');
    const going = rel.page.getByTestId('ack-going');
    expect(await received.textContent()).toContain('收到 — 我已知道，请继续联系');
    expect(await going.textContent()).toContain('我去看看');
    await rel.page.getByText('只表示您已知道').waitFor();
    for (const b of [received, going]) {
      const box = (await b.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(60);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
    await screenshot(rel.page, 'ack-phone-360.png');

    // 收到: the page thanks and still offers 我去看看; the console knows, and keeps alarming
    await received.click();
    await rel.page.getByTestId('ack-done-received').waitFor();
    expect(await rel.page.getByTestId('ack-received').count()).toBe(0);
    await going.waitFor();
    await screenshot(rel.page, 'ack-phone-360-received.png');
    await card.getByTestId('incident-known').getByText(sms.recipient_label).waitFor();
    await card.locator('[data-testid="timeline-entry"][data-type="known"]').waitFor();
    expect(await card.getByTestId('incident-responsible').textContent()).toContain('暂无人接手');
    await card.locator('[data-testid="state-tag"][data-state="open"]').first().waitFor();
    await page.getByTestId('incident-alarm').waitFor();
    await page.locator(`[data-testid="queue-item-${incidentId}"]`).getByTestId('queue-known').waitFor();
    await screenshot(page, 'ack-console-1440-known.png');

    // 我去看看: the relative is 负责人, the ladder stops, the alarm for this incident goes
    await going.click();
    await rel.page.getByTestId('ack-done').waitFor();
    await card.getByTestId('incident-responsible').getByText(sms.recipient_label, { exact: false }).waitFor();
    await card.locator('[data-testid="state-tag"][data-state="responder_en_route"]').first().waitFor();
    await screenshot(page, 'ack-console-1440-responsible.png');

    // an unknown link: one clear Chinese page (an expired one answers exactly alike: ack.db.test.ts)
    await rel.page.goto('/ack/not-a-real-link');
    await rel.page.getByTestId('ack-gone').getByText('链接无效或已过期').waitFor();
    await rel.page.getByText('24 小时后失效').waitFor();
    await screenshot(rel.page, 'ack-phone-360-gone.png');
    await rel.context.close();

    // the console at 360 px shows the people too
    const small = await newPage(h.browser, h.server, { ...phone });
    await signIn(small.page, 'dispatcher');
    await small.page.goto(`/incidents/${incidentId}`);
    await small.page.getByTestId('incident-people').waitFor();
    await screenshot(small.page, 'ack-console-360.png');
    await small.context.close();
  });
});
