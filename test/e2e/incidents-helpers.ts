import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { signDeviceEvent } from '../../src/server/modules/devices/device-signature.ts';
import { newPage, type Server, signIn } from './harness.ts';

/** Rows of a raw query against the test server's database. */
export async function query<T>(server: Server, q: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await server.database.db.execute(q)) as unknown as { rows: T[] };
  return r.rows;
}

/** A demo elder in the district with relatives to call and no incident under way. */
export async function pickElder(server: Server, skip: number[] = []) {
  const [e] = await query<{ id: number; name: string }>(
    server,
    sql`SELECT e.id, e.name FROM elders e
        WHERE e.status = 'active' AND cardinality(e.phones) > 0
          AND (SELECT count(*) FROM circle_contacts c
               WHERE c.elder_id = e.id AND cardinality(c.phones) > 0) >= 2
          AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.elder_id = e.id
               AND i.state IN ('open', 'acknowledged', 'responder_en_route', 'on_scene'))
          ${skip.length ? sql`AND e.id NOT IN (${sql.join(skip, sql`, `)})` : sql``}
        ORDER BY e.id LIMIT 1`,
  );
  if (!e) throw new Error('no demo elder with a circle to call');
  return { id: Number(e.id), name: e.name };
}

/** Calls the API as a signed-in administrator (session cookie + CSRF token), as the web app does. */
export async function asAdmin(browser: Browser, server: Server) {
  const { context, page } = await newPage(browser, server);
  await signIn(page, 'admin');
  const me = (await (await page.request.get('/api/me')).json()) as { csrfToken: string };
  return {
    async post<T>(path: string, data: unknown): Promise<T> {
      const res = await page.request.post(path, { data, headers: { 'X-CSRF-Token': me.csrfToken } });
      if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    },
    close: () => context.close(),
  };
}

/** A signed device event, sent the way a one-key phone (or `npm run device`) sends it. */
export async function deviceEvent(server: Server, deviceId: string, secret: string, kind = 'sos') {
  const body = JSON.stringify({
    eventId: `e2e-${Date.now()}-${Math.random()}`,
    kind,
    at: new Date().toISOString(),
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${server.url}/api/devices/${deviceId}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-device-timestamp': ts,
      'x-device-signature': signDeviceEvent(secret, ts, body),
    },
    body,
  });
  if (!res.ok) throw new Error(`device event: ${res.status} ${await res.text()}`);
  return (await res.json()) as { incidentId: number | null; duplicate: boolean };
}
