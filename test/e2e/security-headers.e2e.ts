import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath, newPage, openMenu, phone, screenshot, signIn, zhCN } from './harness.ts';

/** Every Content-Security-Policy violation the page reports, from the moment it starts loading. */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return seen;
}

// The built web app and Swagger UI work under the server's CSP (no inline script anywhere).
describe.skipIf(!chromiumPath)('the web app under its Content-Security-Policy', () => {
  const h = browserSuite();

  it('signs in and opens the elder registry, and nothing is blocked', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    const violations = await watchCsp(page);
    const res = await page.goto('/login');
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await signIn(page, 'coordinator');
    await openMenu(page, zhCN.menu.elders);
    await page.getByTestId('elder-filters').waitFor();
    await page.locator('.ant-table-row, [data-testid="elder-cards"] .ant-card').first().waitFor();
    await screenshot(page, 'csp-elders.png');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('works on a phone (the carer worklist), with the service worker registered', async () => {
    const { context, page } = await newPage(h.browser, h.server, phone);
    const violations = await watchCsp(page);
    await signIn(page, 'carer');
    await page.getByTestId('menu-toggle').or(page.locator('.ant-list, .ant-card').first()).first().waitFor();
    await screenshot(page, 'csp-carer-phone.png');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('Swagger UI at /api/docs renders under its own CSP', async () => {
    const { context, page } = await newPage(h.browser, h.server);
    const violations = await watchCsp(page);
    await page.goto('/api/docs/');
    await page.locator('.swagger-ui .info .title').waitFor();
    expect(await page.locator('.swagger-ui .info .title').textContent()).toContain('CareCircle');
    await page.locator('.opblock').first().waitFor();
    await screenshot(page, 'csp-api-docs.png');
    expect(violations).toEqual([]);
    await context.close();
  });
});
