import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath, newPage, screenshot, signIn } from './harness.ts';
import { query } from './incidents-helpers.ts';

interface Health {
  conditions: { id: number; name: string }[];
  hospitalStays: { id: number; hospital: string; admittedOn: string; dischargedOn: string | null }[];
  doctorContracts: { id: number; startDate: string; endDate: string | null }[];
  medications: { id: number; name: string }[];
  card: { greenCardNo: string | null };
}

/** A Shanghai calendar date `days` from today. */
function shanghaiDay(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function healthOf(page: Page, elderId: number): Promise<Health> {
  const res = await page.request.get(`/api/elders/${elderId}/health`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Health;
}

/** Types a date into an antd DatePicker and leaves it (Tab), as a keyboard user does. */
async function typeDate(field: Locator, date: string) {
  await field.click();
  await field.fill(date);
  await field.press('Tab');
}

async function confirmPopup(page: Page) {
  await page
    .locator('.ant-popconfirm:visible')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
}

describe.skipIf(!chromiumPath)('health ledger forms on the elder page', () => {
  const h = browserSuite();

  it('a coordinator records a condition, a hospital stay, a doctor contract, a medication and the green card; each "today" button closes once', async () => {
    // an active elder in the coordinator's street with nothing open in the ledger
    const [elder] = await query<{ id: number }>(
      h.server,
      sql`SELECT e.id FROM elders e
          WHERE e.status = 'active'
            AND e.org_path LIKE (SELECT o.path FROM users u JOIN user_scopes us ON us.user_id = u.id
                                 JOIN orgs o ON o.id = us.org_id WHERE u.username = 'coordinator' LIMIT 1) || '%'
            AND NOT EXISTS (SELECT 1 FROM hospital_stays s WHERE s.elder_id = e.id)
            AND NOT EXISTS (SELECT 1 FROM doctor_contracts c WHERE c.elder_id = e.id)
          ORDER BY e.id LIMIT 1`,
    );
    const elderId = Number(elder.id);
    const { context, page } = await newPage(h.browser, h.server);
    await signIn(page, 'coordinator');
    await page.goto(`/elders/${elderId}`);
    await page.getByRole('tab', { name: '健康档案' }).click();
    const panel = page.getByTestId('health-panel');

    // a chronic condition: the name is required
    const condition = panel.getByTestId('condition-form');
    await condition.getByRole('button', { name: /添\s*加/ }).click();
    await condition.getByText('请输入疾病名称').waitFor();
    await condition.locator('#name').fill('高血压');
    await typeDate(condition.locator('#diagnosedOn'), '2020-05-01');
    await condition.getByRole('button', { name: /添\s*加/ }).click();
    await panel.getByText('高血压').waitFor();

    // a hospital stay: a discharge before the admission is refused next to its field, in Chinese
    const stay = panel.getByTestId('stay-form');
    await stay.locator('#hospital').fill('市第一人民医院');
    await stay.locator('#reason').fill('肺炎');
    await typeDate(stay.locator('#admittedOn'), shanghaiDay(-3));
    await typeDate(stay.locator('#dischargedOn'), shanghaiDay(-5));
    await stay.getByRole('button', { name: /添\s*加/ }).click();
    await stay
      .locator('.ant-form-item')
      .filter({ has: page.locator('#dischargedOn') })
      .getByText('出院日期不能早于入院日期')
      .waitFor();
    await stay.locator('#dischargedOn').hover();
    await stay
      .locator('.ant-form-item')
      .filter({ has: page.locator('#dischargedOn') })
      .locator('.ant-picker-clear')
      .click();
    await stay.getByRole('button', { name: /添\s*加/ }).click();
    await panel.getByText('住院中').waitFor();
    // the elder is now hospitalised, in the page header too
    await page.locator('.ant-card-head').getByText('住院', { exact: true }).waitFor();
    const [open] = (await healthOf(page, elderId)).hospitalStays;
    expect(open).toMatchObject({
      hospital: '市第一人民医院',
      admittedOn: shanghaiDay(-3),
      dischargedOn: null,
    });

    // one "今日出院" for the open stay; it asks first, then closes the stay as of today (Shanghai)
    expect(await panel.getByRole('button', { name: '今日出院' }).count()).toBe(1);
    await panel.getByTestId(`stay-discharge-${open.id}`).click();
    await page.getByText('确认“市第一人民医院”的住院记录今日出院？').waitFor();
    await confirmPopup(page);
    await panel.getByTestId(`stay-discharge-${open.id}`).waitFor({ state: 'detached' });
    expect(await panel.getByRole('button', { name: '今日出院' }).count()).toBe(0);
    expect((await healthOf(page, elderId)).hospitalStays[0].dischargedOn).toBe(shanghaiDay());
    await page.locator('.ant-card-head').getByText('在册', { exact: true }).waitFor();

    // a family-doctor contract, ended today the same way
    const contract = panel.getByTestId('contract-form');
    await contract.locator('#doctorId').click();
    await page.locator('.ant-select-item-option').first().click();
    await typeDate(contract.locator('#startDate'), shanghaiDay(-30));
    await contract.getByRole('button', { name: /添\s*加/ }).click();
    await panel.getByText('签约中').waitFor();
    const [signed] = (await healthOf(page, elderId)).doctorContracts;
    expect(await panel.getByRole('button', { name: '今日解约' }).count()).toBe(1);
    await panel.getByTestId(`contract-end-${signed.id}`).click();
    await confirmPopup(page);
    await panel.getByTestId(`contract-end-${signed.id}`).waitFor({ state: 'detached' });
    expect((await healthOf(page, elderId)).doctorContracts[0].endDate).toBe(shanghaiDay());

    // a medication, added and removed
    const medication = panel.getByTestId('medication-form');
    await medication.locator('#name').fill('阿司匹林');
    await medication.locator('#dosage').fill('100mg');
    await medication.locator('#schedule').fill('每日一次');
    await medication.getByRole('button', { name: /添\s*加/ }).click();
    const item = panel.locator('.ant-list-item').filter({ hasText: '阿司匹林' });
    await item.waitFor();
    await item.getByRole('button', { name: /删\s*除/ }).click();
    await confirmPopup(page);
    await item.waitFor({ state: 'detached' });
    expect((await healthOf(page, elderId)).medications.map((m) => m.name)).not.toContain('阿司匹林');

    // the green-channel card, kept after a reload
    const card = panel.getByTestId('health-card-form');
    await card.locator('#greenCardNo').fill('LS-2026-0001');
    await card.locator('#greenCardHospital').fill('市第一人民医院');
    await card.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(async () => (await healthOf(page, elderId)).card.greenCardNo).toBe('LS-2026-0001');
    await screenshot(page, 'elder-health-forms.png');
    await page.reload();
    await page.getByRole('tab', { name: '健康档案' }).click();
    await expect
      .poll(() => page.getByTestId('health-card-form').locator('#greenCardNo').inputValue())
      .toBe('LS-2026-0001');
    await context.close();
  });
});
