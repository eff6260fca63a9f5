// First load on a slow phone (issue 11.10), for bench/run.ts to call (`npm run bench -- --only web`).
// Chromium with the network of a slow phone (1.6 Mbps down, 750 kbps up, 150 ms latency: CDP
// Network.emulateNetworkConditions) and a CPU 4× slower (Emulation.setCPUThrottlingRate), a fresh
// browser context per load (empty cache, no service worker). Per page:
//   usable  — from navigation start until the control a person came for is on screen (the 长辈版
//             page's SOS button, the acknowledgement link's 我去看看, the login button);
//   first paint — when anything (the index.html placeholder) is drawn;
//   ceiling — the same page's HTML document fully received, in the same load: no script-driven page
//             can be usable before it, so `ratio` = usable ÷ ceiling is the page's cost beyond its HTML;
//   KB      — bytes over the wire (compressed), requests — how many.
// Targets: the elder page and the ack page usable in ≤ 3 s, the staff login in ≤ 5 s. The median of
// WEB_BENCH_RUNS loads (default 3) is reported. Runs in-process on an in-memory PGlite with the demo
// district; the server itself is not what is measured.
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildApp } from '../src/server/app.ts';
import { DEMO_PASSWORD, seed } from '../src/server/modules/demo/demo.generator.ts';
import { signDeviceEvent } from '../src/server/modules/devices/device-signature.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { rows } from '../src/server/platform/db.ts';
import { sweepOnce } from '../src/server/platform/sweeper.ts';
import { ensureWebBuilt } from '../src/server/web-build.ts';
import { chromiumPath, launchChromium } from '../test/e2e/harness.ts';
import { freshDatabase } from './fresh-db.ts';

export const SLOW_PHONE = {
  network: {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6e6 / 8) | 0,
    uploadThroughput: (750e3 / 8) | 0,
  },
  cpuSlowdown: 4,
};

interface Load {
  usableMs: number;
  firstPaintMs: number;
  htmlMs: number;
  kb: number;
  requests: number;
}

declare global {
  interface Window {
    __usableAt?: number;
  }
}

/** One load of `url` on the slow phone, until `selector` is on screen. */
async function loadOnce(context: BrowserContext, url: string, selector: string): Promise<Load> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_PHONE.network);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_PHONE.cpuSlowdown });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });
  // the moment the control appears, stamped by the page itself (not by polling from here)
  // (as source text: tsx would wrap named functions in a helper the page does not have)
  await page.addInitScript(`{
    const sel = ${JSON.stringify(selector)};
    const obs = new MutationObserver(() => {
      const el = document.querySelector(sel);
      if (!el || el.getClientRects().length === 0) return;
      window.__usableAt = performance.now();
      obs.disconnect();
    });
    obs.observe(document, { subtree: true, childList: true, attributes: true });
  }`);
  await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // polled from here: waitForFunction compiles its predicate with eval, which the page's CSP forbids
  const deadline = Date.now() + 60_000;
  while (!(await page.evaluate(() => window.__usableAt !== undefined))) {
    if (Date.now() > deadline)
      throw new Error(`${url}: ${selector} not on screen after 60 s ${errors.join('; ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return { usableMs: window.__usableAt!, htmlMs: nav.responseEnd, firstPaintMs: paint?.startTime ?? 0 };
  });
  await page.close();
  return { ...t, kb: bytes / 1024, requests };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(browser: Browser, base: string, url: string, selector: string, runs: number) {
  const loads: Load[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({
      baseURL: base,
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      serviceWorkers: 'block',
    });
    loads.push(await loadOnce(context, url, selector));
    await context.close();
  }
  const usable = median(loads.map((l) => l.usableMs));
  const html = median(loads.map((l) => l.htmlMs));
  return {
    usableMs: Math.round(usable),
    firstPaintMs: Math.round(median(loads.map((l) => l.firstPaintMs))),
    ceilingHtmlMs: Math.round(html),
    ratio: Number((usable / html).toFixed(2)),
    kb: Math.round(median(loads.map((l) => l.kb))),
    requests: median(loads.map((l) => l.requests)),
    runs: loads.map((l) => Math.round(l.usableMs)).join(' / '),
  };
}

/** An elder's 长辈版 link and a relative's acknowledgement link, made the way the app makes them. */
async function publicLinks(app: Awaited<ReturnType<typeof buildApp>>) {
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: DEMO_PASSWORD },
  });
  const { csrfToken } = login.json() as { csrfToken: string };
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const post = async <T>(url: string, payload: object): Promise<T> => {
    const r = await app.inject({
      method: 'POST',
      url,
      payload,
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    return r.json() as T;
  };
  const db = app.deps.db;
  // two elders: the one whose page is loaded must have no SOS under way (the page then shows no button)
  const [elder, other] = await rows<{ id: number }>(
    db,
    sql`SELECT e.id FROM elders e WHERE e.status = 'active'
          AND (SELECT count(*) FROM circle_contacts c WHERE c.elder_id = e.id AND cardinality(c.phones) > 0) >= 2
        ORDER BY e.id LIMIT 2`,
  );
  const page = await post<{ path: string }>(`/api/elders/${elder.id}/page-link`, {});
  const { device, secret } = await post<{ device: { id: string }; secret: string }>('/api/devices', {
    elderId: Number(other.id),
    kind: 'one_key_phone',
    label: 'bench first load',
  });
  const body = JSON.stringify({ eventId: `bench-${Date.now()}`, kind: 'sos', at: new Date().toISOString() });
  const ts = String(Math.floor(Date.now() / 1000));
  const ev = await app.inject({
    method: 'POST',
    url: `/api/devices/${device.id}/events`,
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-device-timestamp': ts,
      'x-device-signature': signDeviceEvent(secret, ts, body),
    },
  });
  const { incidentId } = ev.json() as { incidentId: number };
  // the ladder's step that texts the circle, as if a minute had passed
  await sweepOnce(app.deps, new Date(Date.now() + 61_000));
  const [sms] = await rows<{ body: string }>(
    db,
    sql`SELECT body FROM notifications WHERE incident_id = ${incidentId} AND channel = 'sms' ORDER BY id LIMIT 1`,
  );
  const ack = /\/ack\/[A-Za-z0-9_-]+/.exec(sms.body)![0];
  return { elderPage: page.path, ack };
}

export async function runWebBench(opts: { backend: string }): Promise<Record<string, unknown>[]> {
  if (!chromiumPath) throw new Error('web bench: Chromium not found (set CHROMIUM_PATH)');
  const runs = Number(process.env.WEB_BENCH_RUNS ?? 3);
  // the production build of React and antd, as `npm start` serves it
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await ensureWebBuilt(() => {});
  process.env.NODE_ENV = nodeEnv;
  const { database, drop } = await freshDatabase(undefined, 'web');
  await seed(database.db, 'demo');
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '1000' });
  const app = await buildApp({ database, config, clock: systemClock }, { serveWeb: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const out: Record<string, unknown>[] = [];
  try {
    const links = await publicLinks(app);
    const pages = [
      {
        name: '长辈版 elder page, SOS button on screen',
        url: links.elderPage,
        sel: '[data-testid="elder-sos"]',
        target: 3000,
      },
      {
        name: 'ack link page, 我去看看 on screen',
        url: links.ack,
        sel: '[data-testid="ack-going"]',
        target: 3000,
      },
      {
        name: 'staff login, 登录 button on screen',
        url: '/login',
        sel: '[data-testid="login-submit"]',
        target: 5000,
      },
    ];
    for (const p of pages) {
      const m = await measure(browser, base, p.url, p.sel, runs);
      out.push({
        scenario: `first load on a slow phone: ${p.name}`,
        backend: opts.backend,
        ...m,
        targetMs: p.target,
        pass: m.usableMs <= p.target,
      });
    }
  } finally {
    await browser.close();
    await app.close();
    await drop();
  }
  return out;
}
