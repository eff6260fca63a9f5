import { sql } from 'drizzle-orm';
import { emitSilenceAlerts, type SilenceAlert } from '../../src/server/modules/care/alerts.ts';
import { signDeviceEvent } from '../../src/server/modules/devices/device-signature.ts';
import { type Database, withTx } from '../../src/server/platform/db.ts';
import { kickEvents } from '../../src/server/platform/events.ts';
import type { SweepDeps } from '../../src/server/platform/sweeper.ts';

/** Care's side of the hand-off, as its sweeps do it: the alerts as events in a transaction, handed over after commit. */
export async function handOverAlerts(deps: SweepDeps, alerts: SilenceAlert[]): Promise<void> {
  const now = deps.clock.now();
  await withTx(deps.db, (tx) => emitSilenceAlerts(tx, alerts, now));
  await kickEvents(deps, now);
}

/** An elder with a circle, written straight into the registry tables (incidents, devices and audit tests). */
let seq = 0;
export async function makeElder(
  database: Database,
  org: { id: number; path: string },
  opts: {
    name?: string;
    circle?: { kind: string; name: string; relation?: string; phone?: string; userId?: number }[];
  } = {},
) {
  seq++;
  const idNumber = `T${String(Date.now()).slice(-10)}${String(seq).padStart(7, '0')}`;
  const name = opts.name ?? `测试老人${seq}`;
  const r = await database.db.execute(
    sql`INSERT INTO elders (org_id, org_path, name, name_pinyin, name_initials, gender, id_number, birth_date,
          phones, address, building, room, hearing_impaired)
        VALUES (${org.id}, ${org.path}, ${name}, 'ceshi', 'cs', 'F', ${idNumber}, '1938-05-12',
          ARRAY['13800000001'], '湖滨路 12 号', '3', '402', true)
        RETURNING id`,
  );
  const id = Number((r as unknown as { rows: { id: number }[] }).rows[0].id);
  let priority = 0;
  for (const c of opts.circle ?? []) {
    await database.db.execute(
      sql`INSERT INTO circle_contacts (elder_id, org_path, kind, name, relation, phones, priority, user_id)
          VALUES (${id}, ${org.path}, ${c.kind}, ${c.name}, ${c.relation ?? null},
            ${c.phone ? sql`ARRAY[${c.phone}]` : sql`'{}'::text[]`}, ${priority++}, ${c.userId ?? null})`,
    );
  }
  return { id, name };
}

/** A signed device request as a real device would send it. */
export function signedEvent(
  deviceId: string,
  secret: string,
  body: { eventId: string; kind: string; at: string },
  nowSeconds: number,
  tamper: { secret?: string; timestamp?: number } = {},
) {
  const payload = JSON.stringify(body);
  const ts = String(tamper.timestamp ?? nowSeconds);
  return {
    method: 'POST' as const,
    url: `/api/devices/${deviceId}/events`,
    headers: {
      'content-type': 'application/json',
      'x-device-timestamp': ts,
      'x-device-signature': signDeviceEvent(tamper.secret ?? secret, ts, payload),
    },
    payload,
  };
}
