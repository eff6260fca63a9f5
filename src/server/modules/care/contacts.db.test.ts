// The contact write path (POST /api/contacts) as its few combined statements make it: what it writes,
// what it leaves alone, the order of the key and scope checks, and contacts written together in one
// batch (the group commit, decision 0007).
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
import { sql, together, withTx } from '../../platform/db.ts';

let t: TestApp;
let tree: TestTree;
let coord: Client;
let carer: Client;
let carerId: number;
let elderId: number;

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
let seq = 0;
const key = () => `contacts-test-${++seq}-${Math.random().toString(36).slice(2, 10)}`;
const contact = (c: Client, body: Record<string, unknown>, k = key()) =>
  c.request({ method: 'POST', url: '/api/contacts', payload: body, headers: { 'idempotency-key': k } });

const dutyRows = () =>
  t.database.query<{ id: number; updated_at: string; next_due_at: string; last_contact_id: number | null }>(
    `SELECT id, updated_at::text, next_due_at::text, last_contact_id FROM duties WHERE elder_id = $1 AND active ORDER BY id`,
    [elderId],
  );

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-11-22 10:00'));
  tree = await makeTree(t.database);
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  const admin = await signIn(t.app, a.username, a.password);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coord = await signIn(t.app, c.username, c.password);
  const k = await makeUser(t.database, 'carer', [tree.streetA.id]);
  carerId = k.id;
  carer = await signIn(t.app, k.username, k.password);
  const e = await coord.post('/api/elders', {
    name: '独居丁',
    phones: ['13812345678'],
    idNumber: makeIdNumber('330102', '1940-05-10', 41),
    orgId: tree.gridA1.id,
    livingSituation: '独居',
    difficultyGroups: ['独居'],
  });
  expect(e.statusCode, e.body).toBe(201);
  elderId = e.json().id;
  expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
  const p = await coord.post('/api/pairings', { carerId, elderIds: [elderId] });
  expect(p.statusCode, p.body).toBe(200);
});
afterAll(() => t.close());

describe('recording a contact', () => {
  it('writes the contact, its audit entry and the advanced duties together; a replay writes nothing', async () => {
    const k = key();
    const body = { elderId, channel: 'phone', outcome: 'reached_ok', needs: ['助浴', '助餐'] };
    const first = await contact(carer, body, k);
    expect(first.statusCode, first.body).toBe(200);
    const id = first.json().id;
    const audit = await t.database.query<{ details: { contactId: number }; org_path: string }>(
      `SELECT details, org_path FROM audit_log WHERE action = 'contact.create' AND entity_id = $1`,
      [String(elderId)],
    );
    expect(audit.map((a) => a.details.contactId)).toEqual([id]);
    const [elder] = await t.database.query<{ org_path: string }>(
      'SELECT org_path FROM elders WHERE id = $1',
      [elderId],
    );
    expect(audit[0].org_path).toBe(elder.org_path);
    // its needs became referrals in the same transaction (read through the referrals module's ledger)
    const refs = (await coord.get(`/api/care/referrals?elderId=${elderId}&status=all&limit=500`)).json()
      .items as { id: number; need: string; contactId: number }[];
    expect(
      refs
        .filter((r) => r.contactId === id)
        .sort((a, b) => a.id - b.id)
        .map((r) => r.need),
    ).toEqual(['助浴', '助餐']);
    expect((await dutyRows()).some((d) => d.last_contact_id === id)).toBe(true);

    const again = await contact(carer, body, k);
    expect(again.json()).toMatchObject({ id, replayed: true });
    const after = await t.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'contact.create' AND entity_id = $1`,
      [String(elderId)],
    );
    expect(after[0].n).toBe(1);
  });

  it('leaves the duties a contact does not change unwritten', async () => {
    t.clock.set(sh('2026-11-22 10:30'));
    const before = await dutyRows();
    // the daily check-in was done this morning: a second call today advances nothing
    const res = await contact(carer, { elderId, channel: 'phone', outcome: 'reached_ok' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await dutyRows()).toEqual(before);
  });

  it('answers a retried key with the first record even once the elder is out of scope; a new key is 404', async () => {
    const k = key();
    const body = { elderId, channel: 'phone', outcome: 'reached_concern', concern: '身体不适' };
    const first = await contact(carer, body, k);
    expect(first.statusCode).toBe(200);
    const un = await coord.post('/api/pairings/remove', { carerId, elderIds: [elderId] });
    expect(un.statusCode, un.body).toBe(200);
    const retry = await contact(carer, body, k);
    expect(retry.json()).toMatchObject({ id: first.json().id, replayed: true });
    const fresh = await contact(carer, body);
    expect(fresh.statusCode).toBe(404);
    expect(fresh.json().error.message).toBe('找不到该服务对象');
  });
});

describe('concurrent writers', () => {
  it('concurrent contacts for one elder are each stored once, with their audit entries', async () => {
    t.clock.set(sh('2026-11-24 09:00'));
    const u = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const co = await signIn(t.app, u.username, u.password);
    const count = async () =>
      (
        await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts WHERE elder_id = $1', [
          elderId,
        ])
      )[0].n;
    const before = await count();
    const res = await Promise.all(
      Array.from({ length: 8 }, () => contact(co, { elderId, channel: 'phone', outcome: 'reached_ok' })),
    );
    expect(res.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    const ids = res.map((r) => r.json().id as number);
    expect(new Set(ids).size).toBe(8);
    expect((await count()) - before).toBe(8);
    const audited = await t.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'contact.create' AND (details->>'contactId')::bigint = ANY($1::bigint[])`,
      [ids],
    );
    expect(audited[0].n).toBe(8);
    // the day's check-in was fulfilled by one of them: its last contact is one of the eight
    expect((await dutyRows()).some((d) => d.last_contact_id != null && ids.includes(d.last_contact_id))).toBe(
      true,
    );
  });
  it('contacts written together each get their own answer: one the database refuses fails alone, an unpaired carer gets 404', async () => {
    t.clock.set(sh('2026-11-25 09:00'));
    const u = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const co = await signIn(t.app, u.username, u.password);
    const other = await makeUser(t.database, 'carer', [tree.streetA.id]);
    const unpaired = await signIn(t.app, other.username, other.password);
    // On PostgreSQL these eleven requests reach the writer while a batch is under way, so most are
    // written together; on PGlite (one session) each waits for the one before and goes alone.
    // a database-side refusal of one row, as a constraint would refuse it
    await t.database.query(`CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.note = 'boom' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`);
    await t.database.query(
      'CREATE TRIGGER refuse_boom BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION refuse_boom()',
    );
    try {
      const notes = Array.from({ length: 10 }, (_, i) => (i === 7 ? 'boom' : `批次${i}`));
      const res = await Promise.all([
        ...notes.map((note) => contact(co, { elderId, channel: 'phone', outcome: 'reached_ok', note })),
        // a carer not paired with the elder: not theirs to record, whoever else is in the batch
        contact(unpaired, { elderId, channel: 'phone', outcome: 'reached_ok', note: '未结对' }),
      ]);
      expect(res.map((r) => r.statusCode)).toEqual([...notes.map((n) => (n === 'boom' ? 500 : 200)), 404]);
      const stored = await t.database.query<{ note: string }>(
        `SELECT note FROM contacts WHERE elder_id = $1 AND note = ANY($2::text[]) ORDER BY id`,
        [elderId, [...notes, '未结对']],
      );
      expect(stored.map((r) => r.note).sort()).toEqual(notes.filter((n) => n !== 'boom').sort());
    } finally {
      await t.database.query('DROP TRIGGER refuse_boom ON contacts');
      await t.database.query('DROP FUNCTION refuse_boom()');
    }
  });
});

describe('together (several statements, one round trip)', () => {
  it('runs each statement once, skips nulls, and rolls back with the transaction', async () => {
    await t.database.query('CREATE TABLE together_test (n int)');
    await together(t.database.db, [
      sql`INSERT INTO together_test VALUES (1)`,
      null,
      sql`INSERT INTO together_test VALUES (2)`,
      sql`INSERT INTO together_test VALUES (3)`,
    ]);
    await together(t.database.db, []);
    await expect(
      withTx(t.database.db, async (tx) => {
        await together(tx, [sql`INSERT INTO together_test VALUES (4)`]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const r = await t.database.query<{ n: number }>('SELECT n FROM together_test ORDER BY n');
    expect(r.map((x) => x.n)).toEqual([1, 2, 3]);
  });
});
