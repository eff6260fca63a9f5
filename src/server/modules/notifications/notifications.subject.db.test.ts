import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
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
import { openPglite, rows, withTx } from '../../platform/db.ts';
import { migrate, migrationsDir } from '../../platform/migrate.ts';
import type { HubMessage } from '../../platform/sse.ts';
import { sweepOnce } from '../../platform/sweeper.ts';
import {
  cancelPendingOf,
  enqueueMany,
  listNotificationsOf,
  type OutgoingMessage,
  type Subject,
} from './notifications.service.ts';

// The outbox is the same for every subject (decision 0017): a work order's reminders are enqueued,
// throttled, delivered and retried by the same job as an incident's ladder, and never touch incidents.

// A fake SMS vendor: records what it was sent, fails while `failing` is set.
const received: { mobile: string; content: string }[] = [];
let failing = false;
const gateway = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push(JSON.parse(body));
    res.statusCode = failing ? 503 : 200;
    res.end('{}');
  });
});

let t: TestApp;
let tree: TestTree;
let dispatcher: Client;

beforeAll(async () => {
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  const { port } = gateway.address() as AddressInfo;
  t = await createTestApp({
    NOTIFY_SMS_URL: `http://127.0.0.1:${port}/send`,
    NOTIFY_SMS_BODY: '{"mobile":"{{to}}","content":"{{text}}"}',
    PUBLIC_URL: 'https://care.example.org',
  });
  tree = await makeTree(t.database);
  const d = await makeUser(t.database, 'dispatcher', [tree.district.id]);
  dispatcher = await signIn(t.app, d.username);
});
afterAll(async () => {
  await t.close();
  gateway.close();
});

const order = (id: number): Subject => ({ kind: 'work_order', id });

function reminder(subject: Subject, over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    subject,
    orgPath: tree.communityA1.path,
    whom: 'provider',
    recipientLabel: '助餐服务商',
    recipientUserId: null,
    channel: 'sms',
    address: '13900000071',
    text: `【关爱圈】工单 ${subject.id} 即将超时，请尽快接单。`,
    ...over,
  };
}

async function enqueue(list: OutgoingMessage[], push: HubMessage[] = []) {
  return withTx(t.database.db, (tx) =>
    enqueueMany(tx, list, {
      now: t.clock.now(),
      throttleSeconds: 60,
      publicUrl: 'https://care.example.org',
      push,
      pushEvent: (m, notificationId) => ({ type: 'order_reminder', orderId: m.subject.id, notificationId }),
    }),
  );
}

const outbox = (s: Subject) =>
  rows<{
    subject_kind: string;
    subject_id: number;
    incident_id: number | null;
    step_index: number;
    status: string;
    attempts: number;
    retry_at: Date | null;
    body: string;
    ack_token_hash: string | null;
  }>(
    t.database.db,
    sql`SELECT subject_kind, subject_id, incident_id, step_index, status, attempts, retry_at, body, ack_token_hash
        FROM notifications WHERE subject_kind = ${s.kind} AND subject_id = ${s.id} ORDER BY id`,
  );

const incidentCount = async () =>
  (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM incidents`))[0].n;

describe('a message about a work order', () => {
  it('is enqueued under its subject, without an incident or an acknowledgement link', async () => {
    const [row] = await enqueue([reminder(order(4242))]);
    expect(row).not.toBeNull();
    const [n] = await outbox(order(4242));
    expect(n).toMatchObject({
      subject_kind: 'work_order',
      subject_id: 4242,
      incident_id: null,
      step_index: 0,
      status: 'pending',
      ack_token_hash: null,
      body: '【关爱圈】工单 4242 即将超时，请尽快接单。',
    });
  });

  it('is throttled by subject: a repeat is skipped, another subject to the same phone is delayed', async () => {
    // the same reminder fired twice collides; a second reminder inside the window is skipped
    expect(await enqueue([reminder(order(4242))])).toEqual([null]);
    expect(await enqueue([reminder(order(4242), { stepIndex: 1 })])).toEqual([null]);
    // a campaign's reminder to the same phone waits for the window, never dropped
    const [c] = await enqueue([reminder({ kind: 'campaign', id: 4242 })]);
    expect(c).not.toBeNull();
    const [n] = await outbox({ kind: 'campaign', id: 4242 });
    expect(new Date(n.retry_at as Date).getTime() - t.clock.now().getTime()).toBe(60_000);
  });

  it('is delivered by the same job through the gateway, and the delayed one after its window', async () => {
    await sweepOnce(t.app.deps, t.clock.now());
    expect(received.map((r) => r.content)).toEqual(['【关爱圈】工单 4242 即将超时，请尽快接单。']);
    expect((await outbox(order(4242)))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await outbox({ kind: 'campaign', id: 4242 }))[0]).toMatchObject({ status: 'pending' });
    t.clock.advance(60_000);
    await sweepOnce(t.app.deps, t.clock.now());
    expect(received).toHaveLength(2);
    expect((await outbox({ kind: 'campaign', id: 4242 }))[0]).toMatchObject({ status: 'sent' });
    expect(await incidentCount()).toBe(0);
  });

  it('is retried with the same backoff when the gateway fails, and can be cancelled by its subject', async () => {
    failing = true;
    received.length = 0;
    await enqueue([reminder(order(77), { address: '13900000072' })]);
    await enqueue([reminder(order(78), { address: '13900000073' })]);
    await sweepOnce(t.app.deps, t.clock.now());
    const [n] = await outbox(order(77));
    expect(n).toMatchObject({ status: 'pending', attempts: 1 });
    expect(new Date(n.retry_at as Date).getTime() - t.clock.now().getTime()).toBe(30_000);
    failing = false;
    await cancelPendingOf(t.database.db, order(77));
    expect((await outbox(order(77)))[0]).toMatchObject({ status: 'cancelled', retry_at: null });
    t.clock.advance(30_000);
    await sweepOnce(t.app.deps, t.clock.now());
    // the first sweep delivers both at once (in either order), the retry only the one not cancelled
    const mobiles = received.map((r) => r.mobile);
    expect(mobiles.slice(0, 2).sort()).toEqual(['13900000072', '13900000073']);
    expect(mobiles.slice(2)).toEqual(['13900000073']);
    expect((await outbox(order(78)))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await outbox(order(77)))[0]).toMatchObject({ status: 'cancelled', attempts: 1 });
  });

  it("in-app is sent at once and pushes the caller's own event", async () => {
    const push: HubMessage[] = [];
    const [row] = await enqueue(
      [reminder(order(90), { channel: 'in_app', address: 'user:5', recipientUserId: 5 })],
      push,
    );
    expect(push).toEqual([
      { userIds: [5], event: { type: 'order_reminder', orderId: 90, notificationId: row?.id } },
    ]);
    const list = await listNotificationsOf(t.database.db, order(90));
    expect(list.map((n) => [n.subjectKind, n.subjectId, n.status])).toEqual([['work_order', 90, 'sent']]);
    expect(await incidentCount()).toBe(0);
  });

  it('cannot claim an incident it is not about', async () => {
    await expect(
      t.database.db.execute(
        sql`INSERT INTO notifications (subject_kind, subject_id, incident_id, org_path, whom, recipient_label,
              channel, address, body, created_at)
            VALUES ('work_order', 1, 1, 'x', 'w', 'r', 'sms', '1', 'b', now())`,
      ),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(
        sql`INSERT INTO notifications (subject_kind, subject_id, org_path, whom, recipient_label,
              channel, address, body, created_at)
            VALUES ('incident', 1, 'x', 'w', 'r', 'sms', '1', 'b', now())`,
      ),
    ).rejects.toThrow();
  });
});

/** An elder with a son in the circle, written straight into the registry (the hotline ladder calls the circle first). */
async function elderWithSon(): Promise<number> {
  const org = tree.communityA1;
  const [e] = await rows<{ id: number }>(
    t.database.db,
    sql`INSERT INTO elders (org_id, org_path, name, name_pinyin, name_initials, gender, id_number, birth_date,
          phones, address)
        VALUES (${org.id}, ${org.path}, '周老人', 'zhou', 'z', 'F', 'T0000000000000020', '1938-05-12',
          ARRAY['13800000020'], '湖滨路 20 号')
        RETURNING id`,
  );
  await t.database.db.execute(
    sql`INSERT INTO circle_contacts (elder_id, org_path, kind, name, relation, phones, priority)
        VALUES (${e.id}, ${org.path}, 'relative', '周进', '儿子', ARRAY['13900000074'], 0)`,
  );
  return Number(e.id);
}

describe("an incident's messages", () => {
  it('carry the incident as subject and link, and go with the incident when it is deleted', async () => {
    const elderId = await elderWithSon();
    const id = (await dispatcher.post('/api/incidents', { elderId, kind: 'sos_hotline' })).json().incident
      .id as number;
    const mine = await outbox({ kind: 'incident', id });
    expect(mine.length).toBeGreaterThan(0);
    for (const n of mine)
      expect(n).toMatchObject({ subject_kind: 'incident', subject_id: id, incident_id: id });
    expect(mine.every((n) => n.ack_token_hash != null)).toBe(true);
    expect(mine[0].body).toMatch(/请点链接回复“收到”或“我去看看”：https:\/\/care\.example\.org\/ack\//);
    await t.database.db.execute(sql`DELETE FROM incidents WHERE id = ${id}`);
    expect(await outbox({ kind: 'incident', id })).toEqual([]);
    expect(await outbox(order(4242))).toHaveLength(1);
  });
});

describe('migration 0020', () => {
  it('backfills the subject of every earlier message from its incident', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-mig-'));
    for (const f of fs.readdirSync(migrationsDir).filter((f) => /^\d{4}_.*\.sql$/.test(f) && f < '0020')) {
      fs.copyFileSync(path.join(migrationsDir, f), path.join(dir, f));
    }
    const database = await openPglite();
    try {
      await migrate(database, dir);
      // a throwaway database: an incident without an elder behind it is enough here
      await database.db.execute(sql`ALTER TABLE incidents DROP CONSTRAINT incidents_elder_id_elders_id_fk`);
      const [inc] = await rows<{ id: number }>(
        database.db,
        sql`INSERT INTO incidents (elder_id, org_path, kind, ladder_kind, severity, triggered_at)
            VALUES (1, '/1/', 'fall', 'fall', 'critical', now()) RETURNING id`,
      );
      await database.db.execute(
        sql`INSERT INTO notifications (incident_id, org_path, step_index, whom, recipient_label, channel, address,
              body, created_at)
            VALUES (${inc.id}, '/1/', 2, 'circle', '儿子', 'sms', '13900000099', 'b', now())`,
      );
      // then 0020 alone (later migrations are not this test's business)
      const m0020 = '0020_notifications_subject.sql';
      fs.copyFileSync(path.join(migrationsDir, m0020), path.join(dir, m0020));
      expect(await migrate(database, dir)).toEqual([m0020]);
      const after = await rows<{
        subject_kind: string;
        subject_id: number;
        incident_id: number;
        step_index: number;
      }>(database.db, sql`SELECT subject_kind, subject_id, incident_id, step_index FROM notifications`);
      expect(after).toEqual([
        { subject_kind: 'incident', subject_id: inc.id, incident_id: inc.id, step_index: 2 },
      ]);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
