import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElder } from '../../../../test/factories/incidents.ts';
import {
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { elderBasics } from './elder-facts.ts';

let t: TestApp;
let tree: TestTree;
beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
});
afterAll(() => t.close());

describe('elder basics for messages and the console', () => {
  it('adds 幢/单元/室 only where the registry did not write them already', async () => {
    const bare = await makeElder(t.database, tree.communityA1);
    expect((await elderBasics(t.database.db, bare.id))?.address).toBe('湖滨路 12 号 3幢 402室');
    const written = await makeElder(t.database, tree.communityA1);
    await t.database.db.execute(
      sql`UPDATE elders SET building = '15幢', unit = '1单元', room = '302室' WHERE id = ${written.id}`,
    );
    expect((await elderBasics(t.database.db, written.id))?.address).toBe('湖滨路 12 号 15幢 1单元 302室');
    // the address already spells them out (as many rosters do): nothing is repeated
    const full = await makeElder(t.database, tree.communityA1);
    await t.database.db.execute(
      sql`UPDATE elders SET address = '湖滨路 12 号 15幢1单元1202室', building = '15', unit = '1', room = '1202'
          WHERE id = ${full.id}`,
    );
    expect((await elderBasics(t.database.db, full.id))?.address).toBe('湖滨路 12 号 15幢1单元1202室');
  });
});

describe("the incident card carries the elder's recent contacts", () => {
  it('the last five contacts, newest first, with who, channel and outcome — also for a dispatcher', async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const other = await makeElder(t.database, tree.communityA1);
    const carer = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const dispatcherUser = await makeUser(t.database, 'dispatcher', [tree.district.id]);
    const dispatcher = await signIn(t.app, dispatcherUser.username);
    const base = Date.parse('2026-03-01T02:00:00Z');
    const outcomes = [
      'reached_ok',
      'not_reached_no_answer',
      'reached_concern',
      'reached_ok',
      'not_reached_busy',
    ];
    // seven contacts a day apart; the newest is the last one inserted
    for (let i = 0; i < 7; i++) {
      await t.database.db.execute(
        sql`INSERT INTO contacts (idempotency_key, elder_id, org_path, carer_id, contacted_at, channel, outcome, note)
            VALUES (${`k${elder.id}-${i}`}, ${elder.id}, ${tree.communityA1.path}, ${carer.id},
              ${new Date(base + i * 86_400_000).toISOString()}::timestamptz,
              ${i % 2 ? 'home_visit' : 'phone'}, ${outcomes[i % 5]}, ${i === 6 ? '腿疼，已提醒家属' : null})`,
      );
    }
    await t.database.db.execute(
      sql`INSERT INTO contacts (idempotency_key, elder_id, org_path, carer_id, contacted_at, channel, outcome)
          VALUES ('other', ${other.id}, ${tree.communityA1.path}, ${carer.id}, now(), 'phone', 'reached_ok')`,
    );
    const created = await dispatcher.post('/api/incidents', { elderId: elder.id, kind: 'sos_hotline' });
    expect(created.statusCode).toBe(201);
    const detail = await dispatcher.get(`/api/incidents/${created.json().incident.id}`);
    expect(detail.statusCode).toBe(200);
    const recent = detail.json().archive.recentContacts as Record<string, unknown>[];
    expect(recent).toHaveLength(5);
    expect(recent.map((c) => c.contactedAt)).toEqual(
      [6, 5, 4, 3, 2].map((i) => new Date(base + i * 86_400_000).toISOString()),
    );
    expect(recent[0]).toEqual({
      id: expect.any(Number),
      contactedAt: new Date(base + 6 * 86_400_000).toISOString(),
      channel: 'phone',
      outcome: 'not_reached_no_answer',
      carerName: carer.displayName,
      note: '腿疼，已提醒家属',
    });
    expect(recent[1]).toMatchObject({ channel: 'home_visit', outcome: 'reached_ok' });

    // an elder nobody has contacted yet: an empty list, not a missing one
    const quiet = await makeElder(t.database, tree.communityA1);
    const q = await dispatcher.post('/api/incidents', { elderId: quiet.id, kind: 'sos_hotline' });
    const quietDetail = await dispatcher.get(`/api/incidents/${q.json().incident.id}`);
    expect(quietDetail.json().archive.recentContacts).toEqual([]);
  });
});

describe('the archive card names the family doctor and the community workers (issue 11.4)', () => {
  it('the contracted doctor and the coordinators covering the elder, nearest first, with phones to call', async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const doctor = await makeUser(t.database, 'doctor', [tree.district.id]);
    const near = await makeUser(t.database, 'coordinator', [tree.communityA1.id]);
    const street = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const other = await makeUser(t.database, 'coordinator', [tree.streetB.id]);
    await t.database.db.execute(sql`UPDATE users SET phone = '13700000011' WHERE id = ${doctor.id}`);
    await t.database.db.execute(sql`UPDATE users SET phone = '13700000012' WHERE id = ${near.id}`);
    await t.database.db.execute(
      sql`INSERT INTO doctor_contracts (elder_id, org_path, doctor_id, start_date)
          VALUES (${elder.id}, ${tree.communityA1.path}, ${doctor.id}, '2020-01-01')`,
    );
    const d = await makeUser(t.database, 'dispatcher', [tree.district.id]);
    const dispatcher = await signIn(t.app, d.username);
    const raised = await dispatcher.post('/api/incidents', { elderId: elder.id, kind: 'sos_hotline' });
    const id = raised.json().incident.id as number;
    const archive = (await dispatcher.get(`/api/incidents/${id}`)).json().archive;
    expect(archive.familyDoctors).toEqual([{ name: doctor.displayName, phone: '13700000011' }]);
    const names = archive.communityWorkers.map((w: { name: string }) => w.name);
    expect(names.slice(0, 2)).toEqual([near.displayName, street.displayName]);
    expect(names).not.toContain(other.displayName);
    expect(archive.communityWorkers[0].phone).toBe('13700000012');
    expect(archive.orgPath).toBeUndefined();
  });
});
