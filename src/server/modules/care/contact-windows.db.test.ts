// A contact fulfils only the window it falls in, or an overdue one (issue 11.2): a carer's call at 23:53
// once moved a daily check-in due on 5 Dec by 20:00 to 6 Dec and a second evening call to 7 Dec, so the
// elder had no check-in duty on those days. One timeline, 4–7 Dec, through HTTP: carers' contacts, the
// elder's own 我很好, a pause, and the 20:00 silence check.
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
import { sweepResumed, sweepSilence } from './care.jobs.ts';

let t: TestApp;
let tree: TestTree;
let coord: Client;
let carer: Client;
const users: Record<string, { username: string; password: string }> = {};
const ids: Record<string, number> = {};
let pageToken = '';

/** a Shanghai wall-clock instant */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
/** moves the clock; sessions do not outlive it, so both sign in again */
async function at(s: string) {
  t.clock.set(sh(s));
  coord = await signIn(t.app, users.coord.username, users.coord.password);
  carer = await signIn(t.app, users.carer.username, users.carer.password);
}
let seq = 0;
const key = () => `windows-${++seq}-${Math.random().toString(36).slice(2, 10)}`;

async function daily(elder: string) {
  const res = await coord.get(`/api/duties?elderId=${ids[elder]}&templateKey=daily_checkin`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items[0] as { id: number; dueAt: string; windowStart: string; lastDoneAt: string | null };
}
/** the carer's 已联系·平安 on the daily check-in, at the clock's time */
async function called(elder: string) {
  const d = await daily(elder);
  const res = await carer.request({
    method: 'POST',
    url: '/api/contacts',
    payload: { elderId: ids[elder], dutyId: d.id, channel: 'phone', outcome: 'reached_ok' },
    headers: { 'idempotency-key': key() },
  });
  expect(res.statusCode, res.body).toBe(200);
}
const due = async (elder: string) => {
  const d = await daily(elder);
  return [d.windowStart, d.dueAt];
};
const span = (day: string) => [sh(`${day} 08:00`).toISOString(), sh(`${day} 20:00`).toISOString()];
const silenceAlerts = async (day: string) =>
  (
    await t.database.query<{ elder_id: number }>(
      `SELECT elder_id FROM care_alerts WHERE kind = 'daily_silence' AND day = $1::date ORDER BY elder_id`,
      [day],
    )
  ).map((a) => Number(a.elder_id));

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-12-04 10:00'));
  tree = await makeTree(t.database);
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  users.coord = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  const k = await makeUser(t.database, 'carer', [tree.streetA.id]);
  users.carer = k;
  await at('2026-12-04 10:00');
  // 独居 and over 80: the daily check-in 08:00–20:00, watched for silence at 20:00
  for (const [i, name] of ['夜呼甲', '补呼乙', '暂停丙', '我很好丁'].entries()) {
    const res = await coord.post('/api/elders', {
      name,
      phones: ['13812345678'],
      idNumber: makeIdNumber('330102', '1940-05-10', 51 + 2 * i),
      orgId: tree.gridA1.id,
      livingSituation: '独居',
      difficultyGroups: ['独居'],
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = res.json().id;
  }
  const admin = await signIn(t.app, a.username, a.password);
  expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
  const p = await coord.post('/api/pairings', { carerId: k.id, elderIds: Object.values(ids) });
  expect(p.statusCode, p.body).toBe(200);
  const link = await coord.post(`/api/elders/${ids.我很好丁}/page-link`);
  expect(link.statusCode, link.body).toBe(201);
  pageToken = link.json().token;
});
afterAll(() => t.close());

describe('a contact fulfils only the window it falls in, or an overdue one', () => {
  it('4 Dec: calls at 23:53 and 23:59 after the day’s check-in leave 5 Dec’s due', async () => {
    await called('夜呼甲');
    await called('暂停丙');
    await called('我很好丁');
    expect(await due('夜呼甲')).toEqual(span('2026-12-05'));
    await at('2026-12-04 23:53');
    await called('夜呼甲');
    expect(await due('夜呼甲')).toEqual(span('2026-12-05'));
    await at('2026-12-04 23:59');
    await called('夜呼甲');
    expect(await due('夜呼甲')).toEqual(span('2026-12-05'));
  });

  it('5 Dec: 00:01 fulfils the overdue 4 Dec only; twice in one window advances once; no call → 20:00 alarm', async () => {
    // 补呼乙 had no call on 4 Dec: overdue since 20:00
    expect(await due('补呼乙')).toEqual(span('2026-12-04'));
    await at('2026-12-05 00:01');
    await called('补呼乙');
    expect(await due('补呼乙')).toEqual(span('2026-12-05'));
    await called('夜呼甲');
    expect(await due('夜呼甲')).toEqual(span('2026-12-05'));

    await at('2026-12-05 09:00');
    // the carer's worklist asks for 夜呼甲's check-in today
    const list = (await carer.get('/api/worklist')).json();
    expect(
      [...list.overdue, ...list.today].some(
        (i: { elderId: number; templateKey: string }) =>
          i.elderId === ids.夜呼甲 && i.templateKey === 'daily_checkin',
      ),
    ).toBe(true);
    await at('2026-12-05 10:00');
    await called('补呼乙');
    expect(await due('补呼乙')).toEqual(span('2026-12-06'));
    await called('暂停丙');
    await at('2026-12-05 11:00');
    await called('补呼乙');
    expect(await due('补呼乙')).toEqual(span('2026-12-06'));
    const pause = await coord.post('/api/duties/pause', {
      elderId: ids.暂停丙,
      until: '2026-12-07',
      reason: 'travelling',
    });
    expect(pause.statusCode, pause.body).toBe(200);

    // 夜呼甲's last calls were at 23:53 and 23:59 on 4 Dec and 00:01 today: reached today, no alarm;
    // 我很好丁 had nobody today
    await at('2026-12-05 20:01');
    await sweepSilence(t.app.deps, t.clock.now());
    const alerts = await silenceAlerts('2026-12-05');
    expect(alerts).toContain(ids.我很好丁);
    expect(alerts).not.toContain(ids.补呼乙);
  });

  it('6 Dec: the elder’s own 我很好 before the window opens is that day’s check-in, not the next day’s', async () => {
    await at('2026-12-06 06:00');
    const ok = await t.app.inject({ method: 'POST', url: `/api/elder-page/${pageToken}/ok` });
    expect(ok.statusCode, ok.body).toBe(200);
    const d = await daily('我很好丁');
    expect([d.windowStart, d.dueAt]).toEqual(span('2026-12-07'));
    expect(d.lastDoneAt).toBe(sh('2026-12-06 06:00').toISOString());
    await at('2026-12-06 20:01');
    await sweepSilence(t.app.deps, t.clock.now());
    const alerts = await silenceAlerts('2026-12-06');
    expect(alerts).not.toContain(ids.我很好丁);
    expect(alerts).not.toContain(ids.暂停丙); // paused
    expect(alerts).toContain(ids.夜呼甲); // nobody called on 6 Dec
  });

  it('7 Dec: after a pause ends at midnight, a call at 00:01 does not use up the day; 我很好 at 21:00 is not 8 Dec’s', async () => {
    await at('2026-12-07 00:00');
    expect(await sweepResumed(t.app.deps, t.clock.now())).toBe(1);
    expect(await due('暂停丙')).toEqual(span('2026-12-07'));
    await at('2026-12-07 00:01');
    await called('暂停丙');
    expect(await due('暂停丙')).toEqual(span('2026-12-07'));
    await at('2026-12-07 09:00');
    await called('暂停丙');
    expect(await due('暂停丙')).toEqual(span('2026-12-08'));
    await called('我很好丁');
    expect(await due('我很好丁')).toEqual(span('2026-12-08'));
    await at('2026-12-07 21:00');
    const ok = await t.app.inject({ method: 'POST', url: `/api/elder-page/${pageToken}/ok` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await due('我很好丁')).toEqual(span('2026-12-08'));
  });
});
