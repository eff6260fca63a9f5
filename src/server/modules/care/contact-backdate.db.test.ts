// Contact times cannot be backdated beyond CONTACT_BACKDATE_DAYS without a coordinator's note, nor set
// in the future beyond a phone's clock skew (issue 16.13). Here the window is 3 days.
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
import { loadConfig } from '../../platform/config.ts';

let t: TestApp;
let tree: TestTree;
let coord: Client;
let carer: Client;
let elderId: number;

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
let seq = 0;
const post = (c: Client, contactedAt: string, note?: string) =>
  c.request({
    method: 'POST',
    url: '/api/contacts',
    payload: {
      elderId,
      channel: 'phone',
      outcome: 'reached_ok',
      contactedAt: sh(contactedAt).toISOString(),
      note,
    },
    headers: { 'idempotency-key': `backdate-${++seq}-${Math.random().toString(36).slice(2, 10)}` },
  });
const fieldsOf = (res: { json: () => { error: { details: { field: string; message: string }[] } } }) =>
  res.json().error.details.map((d) => [d.field, d.message]);

beforeAll(async () => {
  t = await createTestApp({ CONTACT_BACKDATE_DAYS: '3' });
  t.clock.set(sh('2026-12-05 10:00'));
  tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coord = await signIn(t.app, c.username, c.password);
  const k = await makeUser(t.database, 'carer', [tree.streetA.id]);
  carer = await signIn(t.app, k.username, k.password);
  const e = await coord.post('/api/elders', {
    name: '补录戊',
    phones: ['13812345678'],
    idNumber: makeIdNumber('330102', '1944-03-10', 71),
    orgId: tree.gridA1.id,
  });
  expect(e.statusCode, e.body).toBe(201);
  elderId = e.json().id;
  const p = await coord.post('/api/pairings', { carerId: k.id, elderIds: [elderId] });
  expect(p.statusCode, p.body).toBe(200);
});
afterAll(() => t.close());

describe('contact time', () => {
  it('CONTACT_BACKDATE_DAYS defaults to 7 and must be a whole number of days', () => {
    expect(loadConfig({}).contactBackdateDays).toBe(7);
    expect(loadConfig({ CONTACT_BACKDATE_DAYS: '14' }).contactBackdateDays).toBe(14);
    expect(() => loadConfig({ CONTACT_BACKDATE_DAYS: 'a week' })).toThrow(/CONTACT_BACKDATE_DAYS/);
  });

  it('within the window anyone records it; beyond it a carer cannot, even with a note', async () => {
    expect((await post(carer, '2026-12-02 10:30')).statusCode).toBe(200);
    const old = await post(carer, '2026-12-02 09:59', '忘记登记了');
    expect(old.statusCode, old.body).toBe(400);
    expect(fieldsOf(old)).toEqual([
      ['contactedAt', '联系时间早于 3 天前，不能补录；请联系协调员补录并说明原因'],
    ]);
  });

  it('a coordinator records an older contact only with a note, and the audit log marks it backdated', async () => {
    const bare = await post(coord, '2026-11-20 15:00');
    expect(bare.statusCode, bare.body).toBe(400);
    expect(fieldsOf(bare)).toEqual([['note', '补录 3 天前的联系，请在备注中说明原因']]);
    const ok = await post(coord, '2026-11-20 15:00', '纸质台账补录：志愿者当日上门，手机无网络');
    expect(ok.statusCode, ok.body).toBe(200);
    const [audit] = await t.database.query<{ details: { backdated?: boolean } }>(
      `SELECT details FROM audit_log WHERE action = 'contact.create' AND details->>'contactId' = $1`,
      [String(ok.json().id)],
    );
    expect(audit.details.backdated).toBe(true);
  });

  it('the future is refused beyond a 5-minute clock skew', async () => {
    expect((await post(carer, '2026-12-05 10:04')).statusCode).toBe(200);
    const ahead = await post(carer, '2026-12-05 10:06');
    expect(ahead.statusCode).toBe(400);
    expect(fieldsOf(ahead)).toEqual([['contactedAt', '联系时间不能晚于当前时间']]);
  });
});
