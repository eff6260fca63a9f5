import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { HISTORY_DAYS } from './demo.care.ts';
import { DEMO_PASSWORD, seed } from './demo.generator.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date());
  await seed(t.database.db, 'demo');
}, 300_000);
afterAll(() => t.close());

describe('demo care network', () => {
  it('pairs most elders, leaves a few for the load view, and plans one row per elder-duty', async () => {
    const [r] = await t.database.query<{ elders: number; paired: number; dup: number; duties: number }>(
      `SELECT (SELECT count(*) FROM elders WHERE status NOT IN ('deceased','moved_away'))::int AS elders,
        (SELECT count(DISTINCT elder_id) FROM carer_pairings)::int AS paired,
        (SELECT count(*) FROM (SELECT 1 FROM duties GROUP BY elder_id, template_id HAVING count(*) > 1) x)::int AS dup,
        (SELECT count(*) FROM duties WHERE active)::int AS duties`,
    );
    expect(r.paired / r.elders).toBeGreaterThan(0.9);
    expect(r.paired).toBeLessThan(r.elders);
    expect(r.dup).toBe(0);
    expect(r.duties).toBeGreaterThan(r.elders * 3);
    const [circle] = await t.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM carer_pairings p WHERE NOT EXISTS (SELECT 1 FROM circle_contacts cc
        WHERE cc.elder_id = p.elder_id AND cc.kind = 'carer' AND cc.user_id = p.carer_id)`,
    );
    expect(circle.n).toBe(0);
  });

  it('holds ~90 days of history with misses and not-reached outcomes', async () => {
    const [c] = await t.database.query<{ n: number; days: number; missed: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT date_trunc('day', contacted_at))::int AS days,
        count(*) FILTER (WHERE outcome LIKE 'not_reached%')::int AS missed FROM contacts`,
    );
    expect(c.days).toBeGreaterThanOrEqual(HISTORY_DAYS - 1);
    expect(c.missed / c.n).toBeGreaterThan(0.03);
    expect(c.missed / c.n).toBeLessThan(0.15);
  });

  it('the demo carer has a worklist and the coordinator a coverage figure', async () => {
    const carer = await signIn(t.app, 'carer', DEMO_PASSWORD);
    const wl = (await carer.get('/api/worklist')).json();
    expect(wl.today.length + wl.upcoming.length + wl.overdue.length).toBeGreaterThan(0);
    const coord = await signIn(t.app, 'coordinator', DEMO_PASSWORD);
    const me = (await coord.get('/api/me')).json();
    const cov = (await coord.get(`/api/coverage?orgId=${me.scopes[0].id}`)).json();
    expect(cov.totals.specialTotal).toBeGreaterThan(0);
    expect(cov.totals.share).toBeGreaterThan(0.5);
  });

  it("the demo doctor has real work: their contracted elders' home visits, none with a volunteer", async () => {
    const [misplaced] = await t.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM duties d JOIN duty_templates t ON t.id = d.template_id
        JOIN users u ON u.id = d.assignee_id
        WHERE d.active AND t.assignee_role = 'doctor' AND u.role <> 'doctor'`,
    );
    expect(misplaced.n).toBe(0);
    const doctor = await signIn(t.app, 'doctor', DEMO_PASSWORD);
    const wl = (await doctor.get('/api/worklist')).json();
    const all = [...wl.overdue, ...wl.today, ...wl.upcoming];
    expect(all.length).toBeGreaterThan(3);
    expect(new Set(all.map((d: { templateKey: string }) => d.templateKey))).toContain('doctor_quarterly');
    // and a visit history with vital signs in the health ledger
    const [v] = await t.database.query<{ n: number; bad: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE systolic <= diastolic OR glucose > 35)::int AS bad
        FROM elder_vital_signs`,
    );
    expect(v.n).toBeGreaterThan(10);
    expect(v.bad).toBe(0);
    const [concern] = await t.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM contacts WHERE outcome = 'reached_concern' AND concern IS NULL`,
    );
    expect(concern.n).toBe(0);
  });

  it('turns every need in the history into a referral, worked like a real ledger', async () => {
    const [r] = await t.database.query<{ needs: number; referrals: number; incoherent: number }>(
      `SELECT (SELECT coalesce(sum(cardinality(needs)), 0) FROM contacts)::int AS needs,
        (SELECT count(*) FROM care_referrals)::int AS referrals,
        (SELECT count(*) FROM care_referrals WHERE
          (status = 'open') <> (accepted_at IS NULL AND resolved_at IS NULL AND handler_id IS NULL)
          OR (status = 'accepted') <> (accepted_by IS NOT NULL AND resolved_at IS NULL)
          OR (status IN ('resolved', 'closed')) <> (resolved_by IS NOT NULL AND resolution IS NOT NULL)
          OR resolved_at < accepted_at OR accepted_at < created_at OR resolved_at > now())::int AS incoherent`,
    );
    expect(r.referrals).toBe(r.needs);
    expect(r.incoherent).toBe(0);
    const coord = await signIn(t.app, 'coordinator', DEMO_PASSWORD);
    const all = (await coord.get('/api/care/referrals?status=all&limit=500')).json();
    const statuses = new Set(all.items.map((x: { status: string }) => x.status));
    expect([...statuses].sort()).toEqual(['accepted', 'closed', 'open', 'resolved']);
    expect(all.counts.open).toBeGreaterThan(0);
    expect(all.counts.accepted).toBeGreaterThan(0);
  });
});
