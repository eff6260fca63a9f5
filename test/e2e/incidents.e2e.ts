import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sweepOnce } from '../../src/server/platform/sweeper.ts';
import { browserSuite, chromiumPath, newPage, phone, screenshot, signIn } from './harness.ts';
import { asAdmin, deviceEvent, pickElder, query } from './incidents-helpers.ts';

describe.skipIf(!chromiumPath)('dispatcher console and the relative acknowledgement link', () => {
  const h = browserSuite();

  it('a device SOS reaches the console within a second with the archive; acknowledged, acknowledged by a relative, resolved', async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const { device, secret } = await admin.post<{ device: { id: string }; secret: string }>('/api/devices', {
      elderId: elder.id,
      kind: 'one_key_phone',
      label: 'E2E 一键通',
    });
    await admin.close();

    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'dispatcher');
    await page.getByTestId('main-menu').getByRole('menuitem', { name: '应急调度' }).click();
    await page.waitForURL('**/incidents');
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } }); // the gesture that unlocks sound
    await page.getByTestId('sound-status').getByText('提示音已启用').waitFor();

    const sent = Date.now();
    const { incidentId } = await deviceEvent(h.server, device.id, secret);
    const postedMs = Date.now() - sent;
    const item = page.locator(`[data-testid="queue-item-${incidentId}"][data-state="open"]`);
    await item.waitFor({ timeout: 3000 });
    const arrivedMs = Date.now() - sent;
    console.log(`[e2e] device POST ${postedMs} ms, on the console after ${arrivedMs} ms`);
    expect(arrivedMs).toBeLessThan(1000);
    await expect.poll(() => page.title()).toMatch(/^\(\d+\) 应急调度/);
    await page.getByTestId('incident-alarm').waitFor();
    expect(await item.textContent()).toContain(elder.name);

    // the card: archive at a glance, clocks ticking
    await item.click();
    await page.waitForURL(`**/incidents/${incidentId}`);
    const card = page.getByTestId('incident-card');
    await card.getByTestId('incident-elder').getByText(elder.name).waitFor();
    const [archive] = await query<{ address: string | null; building: string | null; room: string | null }>(
      h.server,
      sql`SELECT address, building, room FROM elders WHERE id = ${elder.id}`,
    );
    const address = await card.getByTestId('archive-address').textContent();
    if (archive.address) expect(address).toContain(archive.address);
    if (archive.room) expect(address).toContain(archive.room);
    expect(address).not.toMatch(/室室|幢幢/);
    const circle = await query<{ name: string; phones: string[] }>(
      h.server,
      sql`SELECT name, phones FROM circle_contacts WHERE elder_id = ${elder.id} AND cardinality(phones) > 0
          ORDER BY priority, id`,
    );
    const members = card.getByTestId('circle-member');
    await expect.poll(() => members.count()).toBeGreaterThanOrEqual(circle.length);
    expect(await members.first().textContent()).toContain(circle[0].name);
    expect(await card.locator(`a[href="tel:${circle[0].phones[0]}"]`).count()).toBeGreaterThan(0);
    // the last five contacts of the care ledger, newest first: when, who, channel, outcome
    const ledger = await query<{ outcome: string; carer: string }>(
      h.server,
      sql`SELECT c.outcome, u.display_name AS carer FROM contacts c JOIN users u ON u.id = c.carer_id
          WHERE c.elder_id = ${elder.id} ORDER BY c.contacted_at DESC, c.id DESC LIMIT 5`,
    );
    expect(ledger.length).toBeGreaterThan(0);
    const recent = card.getByTestId('recent-contact');
    await expect.poll(() => recent.count()).toBe(ledger.length);
    expect(await recent.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual(
      ledger.map((c) => c.outcome),
    );
    const firstContact = (await recent.first().textContent())!;
    expect(firstContact).toContain(ledger[0].carer);
    expect(firstContact).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(firstContact).toMatch(/电话|微信|视频|上门/);
    expect(firstContact).toMatch(/已联系|无人接听|占线|号码错误|外出|已搬离|已去世/);
    const clock = card.getByTestId('clock-trigger');
    const before = await clock.textContent();
    await expect.poll(() => clock.textContent(), { timeout: 3000 }).not.toBe(before);
    await screenshot(page, 'incidents-console-open.png');

    // the ladder moves on to the circle (as the sweeper would after 60 s): SMS with a one-time link
    await sweepOnce(h.server.app.deps, new Date(Date.now() + 61_000));
    await card.locator('[data-testid="timeline-entry"][data-type="step_fired"]').first().waitFor();
    const [sms] = await query<{ body: string }>(
      h.server,
      sql`SELECT body FROM notifications WHERE incident_id = ${incidentId} AND channel = 'sms' ORDER BY id LIMIT 1`,
    );
    const code = /\/ack\/([A-Za-z0-9_-]+)/.exec(sms.body)![1];

    // the dispatcher acknowledges and records reaching the first relative
    await card.getByTestId('incident-acknowledge').click();
    await card.locator('[data-testid="state-tag"][data-state="acknowledged"]').first().waitFor();
    await page.getByTestId('incident-alarm').waitFor({ state: 'detached' });
    await card.getByTestId('mark-reached').first().click();
    await card.locator('[data-testid="timeline-entry"][data-type="note"]').getByText('已联系上').waitFor();

    // a relative without an account answers "我去看看" on a phone
    const rel = await newPage(h.browser, h.server, phone);
    await rel.page.goto(`/ack/${code}`);
    await rel.page.getByTestId('ack-what').getByText(elder.name).waitFor();
    const going = rel.page.getByTestId('ack-going');
    const box = (await going.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(60);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    await screenshot(rel.page, 'incidents-ack-phone.png');
    await going.click();
    await rel.page.getByTestId('ack-done').waitFor();
    expect(await rel.page.getByTestId('ack-received').count()).toBe(0);
    await rel.context.close();

    // pushed to the console: the relative's answer in the timeline, the responder on the way
    await card
      .locator('[data-testid="timeline-entry"][data-type="acknowledged_again"]')
      .getByText('我去看看')
      .waitFor();
    await card.locator('[data-testid="state-tag"][data-state="responder_en_route"]').first().waitFor();

    // the dispatcher resolves with an outcome
    await card.getByTestId('incident-resolve').click();
    await card.getByTestId('resolve-submit').click();
    await card.getByText('请选择处置结果').waitFor();
    await card.getByTestId('resolve-form').getByText('居家处置', { exact: true }).click();
    await card.getByTestId('resolve-submit').click();
    await card.locator('[data-testid="state-tag"][data-state="resolved"]').first().waitFor();
    await page.locator(`[data-testid="queue-item-${incidentId}"]`).waitFor({ state: 'detached' });

    const types = await card
      .getByTestId('timeline-entry')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types).toEqual(
      expect.arrayContaining([
        'opened',
        'step_fired',
        'acknowledged',
        'note',
        'acknowledged_again',
        'resolved',
      ]),
    );
    const timeline = (await card.getByTestId('incident-timeline').textContent())!;
    expect(timeline).toContain('陈志强');
    expect(timeline).toContain('居家处置');
    await screenshot(page, 'incidents-console-resolved.png');

    const [row] = await query<{ state: string; outcome: string }>(
      h.server,
      sql`SELECT state, outcome FROM incidents WHERE id = ${incidentId}`,
    );
    expect(row).toEqual({ state: 'resolved', outcome: 'handled_at_home' });
    await context.close();
  });

  it('on a phone the console is a queue, then the card with a way back', async () => {
    const elder = await pickElder(h.server);
    const admin = await asAdmin(h.browser, h.server);
    const { device, secret } = await admin.post<{ device: { id: string }; secret: string }>('/api/devices', {
      elderId: elder.id,
      kind: 'wearable',
    });
    await admin.close();
    const { incidentId } = await deviceEvent(h.server, device.id, secret, 'fall');

    const { context, page } = await newPage(h.browser, h.server, phone);
    await signIn(page, 'dispatcher');
    await page.goto('/incidents');
    await page.locator(`[data-testid="queue-item-${incidentId}"]`).click();
    await page.getByTestId('incident-archive').waitFor();
    await page.getByTestId('incident-elder').getByText(elder.name).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const ack = (await page.getByTestId('incident-acknowledge').boundingBox())!;
    expect(ack.height).toBeGreaterThanOrEqual(40);
    await screenshot(page, 'incidents-console-phone.png');

    // dispatch a responder, arrive on scene, write a note, resolve as a false alarm — all on the phone
    const card = page.getByTestId('incident-card');
    await card.getByTestId('incident-dispatch').click();
    await card.getByTestId('dispatch-submit').click();
    await card.getByText('请填写出动人员').waitFor();
    await card.locator('#responder').fill('网格员 王磊');
    await card.locator('#phone').fill('13900001111');
    await card.getByTestId('dispatch-submit').click();
    await card.locator('[data-testid="state-tag"][data-state="responder_en_route"]').first().waitFor();
    await card
      .locator('[data-testid="timeline-entry"][data-type="dispatched"]')
      .getByText('网格员 王磊')
      .waitFor();
    await card.getByTestId('incident-move-on_scene').click();
    await card.locator('[data-testid="state-tag"][data-state="on_scene"]').first().waitFor();
    await card.locator('#text').fill('老人在卫生间滑倒，无外伤，已扶起');
    await card.getByTestId('note-submit').click();
    await card.locator('[data-testid="timeline-entry"][data-type="note"]').getByText('无外伤').waitFor();
    await card.getByTestId('incident-resolve').click();
    await card.getByTestId('resolve-form').getByText('误报', { exact: true }).click();
    await card.getByTestId('resolve-submit').click();
    await card.locator('[data-testid="timeline-entry"][data-type="resolved"]').waitFor();
    const overflowAfter = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflowAfter).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: /返回队列/ }).click();
    await page.getByTestId('incident-queue').waitFor();
    await context.close();
  });
});
