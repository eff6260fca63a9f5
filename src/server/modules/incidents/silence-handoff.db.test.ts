import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { makeIdNumber } from '../../../shared/id-number.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { rows, sql } from '../../platform/db.ts';
import {
  type EventHandler,
  eventHandler,
  setEventFailureLog,
  subscribeEvents,
} from '../../platform/events.ts';
import { sweepOnce } from '../../platform/sweeper.ts';
import { sweepSilence } from '../care/care.jobs.ts';
import { SILENCE_ALERT_TOPIC } from '../care/care.service.ts';

// Care's silence alerts reach incidents through durable module events (decision 0016): a hand-off that
// fails is retried on a later sweep, and one cut off by a restart is done by the next process.

let t: TestApp;
let tree: TestTree;
let coordinator: { username: string; password: string };
let dispatcher: { username: string; password: string };
let restarted: FastifyInstance | undefined;
const elders: number[] = [];
const logged: string[] = [];

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const incidentsOf = (elderId: number) =>
  rows<{ id: number; kind: string; state: string; triggers: number; day: string }>(
    t.database.db,
    sql`SELECT id, kind, state, triggers, source->>'day' AS day FROM incidents WHERE elder_id = ${elderId} ORDER BY id`,
  );
const events = () =>
  rows<{ elder_id: number; day: string; attempts: number; done: boolean; last_error: string | null }>(
    t.database.db,
    sql`SELECT (payload->>'elderId')::int AS elder_id, payload->>'day' AS day, attempts,
               done_at IS NOT NULL AS done, last_error
        FROM module_events WHERE topic = ${SILENCE_ALERT_TOPIC} ORDER BY id`,
  );

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-11-22 10:00'));
  tree = await makeTree(t.database);
  coordinator = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  dispatcher = await makeUser(t.database, 'dispatcher', [tree.district.id]);
  const c: Client = await signIn(t.app, coordinator.username, coordinator.password);
  for (const [k, birth] of ['1940-05-10', '1942-03-04'].entries()) {
    const res = await c.post('/api/elders', {
      name: `独居${k}`,
      phones: ['13812345678'],
      idNumber: makeIdNumber('330102', birth, 41 + k),
      orgId: tree.gridA1.id,
      livingSituation: '独居',
      difficultyGroups: ['独居'],
    });
    expect(res.statusCode, res.body).toBe(201);
    elders.push(res.json().id);
  }
  setEventFailureLog((msg) => logged.push(msg));
});
afterAll(async () => {
  subscribeEvents(SILENCE_ALERT_TOPIC, real);
  await restarted?.close();
  await t.close();
});

let real: EventHandler;

describe('silence alerts to incidents, durably', () => {
  it('a hand-off that fails is logged and still turns the alerts into incidents on the next sweep, once', async () => {
    t.clock.set(sh('2026-11-23 19:59'));
    await sweepOnce(t.app.deps, t.clock.now()); // the day before's deadline checked (before their first day)
    expect(await events()).toEqual([]);
    real = eventHandler(SILENCE_ALERT_TOPIC) as EventHandler;
    let failing = true;
    subscribeEvents(SILENCE_ALERT_TOPIC, async (payloads, ctx) => {
      if (failing) throw new Error('事件模块暂时不可用');
      return real(payloads, ctx);
    });
    t.clock.set(sh('2026-11-23 20:01'));
    await sweepOnce(t.app.deps, t.clock.now());
    for (const e of elders) expect(await incidentsOf(e)).toEqual([]);
    expect(await events()).toEqual(
      elders.map((e) => ({
        elder_id: e,
        day: '2026-11-23',
        attempts: 1,
        done: false,
        last_error: '事件模块暂时不可用',
      })),
    );
    expect(logged.filter((m) => m.includes(SILENCE_ALERT_TOPIC))).toHaveLength(2);

    failing = false;
    t.clock.set(sh('2026-11-23 20:02'));
    await sweepOnce(t.app.deps, t.clock.now());
    for (const e of elders) {
      expect(await incidentsOf(e)).toEqual([
        expect.objectContaining({
          kind: 'no_contact_deadline',
          state: 'open',
          triggers: 1,
          day: '2026-11-23',
        }),
      ]);
    }
    expect((await events()).map((e) => [e.done, e.attempts])).toEqual([
      [true, 2],
      [true, 2],
    ]);
    // handed over: later sweeps never raise them again
    t.clock.set(sh('2026-11-23 21:00'));
    await sweepOnce(t.app.deps, t.clock.now());
    for (const e of elders) expect((await incidentsOf(e))[0].triggers).toBe(1);

    // the night's incidents are handled
    const d = await signIn(t.app, dispatcher.username, dispatcher.password);
    for (const e of elders) {
      const [i] = await incidentsOf(e);
      const res = await d.post(`/api/incidents/${i.id}/transition`, {
        to: 'resolved',
        outcome: 'handled_at_home',
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  });

  it('a restart between the commit and the hand-off loses nothing: the next process hands the alerts over', async () => {
    subscribeEvents(SILENCE_ALERT_TOPIC, real);
    t.clock.set(sh('2026-11-24 20:01'));
    // the silence check commits its alerts (and their events), and the process stops before handing
    // them over (a sweep without the app's database handle cannot hand over)
    const alerts = await sweepSilence({ db: t.database.db, clock: t.clock }, t.clock.now());
    expect(alerts.map((a) => a.elderId).sort()).toEqual([...elders].sort());
    await t.app.close();
    expect((await events()).filter((e) => !e.done)).toHaveLength(2);

    // a new server process on the same database
    restarted = await buildApp({ database: t.database, config: loadConfig({}), clock: t.clock });
    await sweepOnce(restarted.deps, t.clock.now());
    for (const e of elders) {
      const list = await incidentsOf(e);
      expect(list.map((i) => [i.kind, i.state, i.day])).toEqual([
        ['no_contact_deadline', 'resolved', '2026-11-23'],
        ['no_contact_deadline', 'open', '2026-11-24'],
      ]);
    }
    expect((await events()).every((e) => e.done)).toBe(true);
  });
});
