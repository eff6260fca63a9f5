import { sql } from 'drizzle-orm';
import type { ReferralStatus } from '../../../shared/care.ts';
import { type Db, rows, withTx } from '../../platform/db.ts';
import { insertReferralsBulk } from '../referrals/referrals.service.ts';

/**
 * Demo step of the referral workflow (需求转介): one referral per need raised in the contact history (as
 * recording a contact writes them), worked the way an office works its ledger — needs of the last three
 * days still 待处理, those of the last ten days mostly 已受理 (a few already 已办结, a few forgotten), older
 * ones 已办结 with a result or 无需处理 with a reason, by the community's coordinator. Set-based: one
 * SELECT over the contacts that raised needs, written through the ledger's bulk path in chunks.
 */
export async function seedReferrals(db: Db, now = new Date()): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  return withTx(db, async (tx) => {
    const worked = await rows<{
      contact_id: number;
      elder_id: number;
      org_path: string;
      need: string;
      status: ReferralStatus;
      handler_id: number | null;
      accepted_at: Date | null;
      accepted_by: number | null;
      resolved_at: Date | null;
      resolved_by: number | null;
      resolution: string | null;
      created_at: Date;
      updated_at: Date;
    }>(
      tx,
      sql`WITH src AS (
          SELECT c.id AS contact_id, c.elder_id, c.org_path, n.need, c.contacted_at,
            extract(epoch FROM ${at} - c.contacted_at) / 86400 AS age, ((c.id * 7 + n.i * 3) % 10)::int AS h,
            (SELECT u.id FROM user_scopes us JOIN users u ON u.id = us.user_id
              WHERE us.org_id = ANY(string_to_array(btrim(c.org_path, '/'), '/')::bigint[])
                AND u.role = 'coordinator' AND u.active ORDER BY u.id LIMIT 1) AS staff
          FROM contacts c CROSS JOIN LATERAL unnest(c.needs) WITH ORDINALITY AS n(need, i)
          WHERE c.needs <> '{}'::text[]
            AND NOT EXISTS (SELECT 1 FROM care_referrals x WHERE x.contact_id = c.id)),
        s AS (
          SELECT src.*, CASE
              WHEN staff IS NULL OR age < 3 THEN 'open'
              WHEN age < 10 THEN CASE WHEN h < 6 THEN 'accepted' WHEN h < 8 THEN 'resolved' ELSE 'open' END
              ELSE CASE WHEN h < 8 THEN 'resolved' ELSE 'closed' END END AS status,
            -- the next morning in the office (Asia/Shanghai, 09:00–12:45)
            date_trunc('day', contacted_at + interval '8 hours') - interval '8 hours'
              + make_interval(days => 1, hours => 9, mins => h * 25) AS accepted_at
          FROM src),
        t AS (
          SELECT s.*, LEAST(s.accepted_at + make_interval(days => 1 + h % 4), ${at} - interval '1 hour') AS done_at
          FROM s)
        SELECT contact_id, elder_id, org_path, need, status,
            CASE WHEN status = 'open' THEN NULL ELSE staff END AS handler_id,
            CASE WHEN status IN ('accepted', 'resolved') THEN accepted_at END AS accepted_at,
            CASE WHEN status IN ('accepted', 'resolved') THEN staff END AS accepted_by,
            CASE WHEN status IN ('resolved', 'closed') THEN done_at END AS resolved_at,
            CASE WHEN status IN ('resolved', 'closed') THEN staff END AS resolved_by,
            CASE status
              WHEN 'resolved' THEN CASE need
                WHEN '助餐' THEN (ARRAY['已对接社区长者食堂，每日中午送餐上门', '已办理助餐卡，老人到助餐点就餐'])[1 + h % 2]
                WHEN '适老化改造' THEN (ARRAY['已安装卫生间扶手和防滑垫', '施工队已上门评估，改造完成'])[1 + h % 2]
                ELSE '已联系相关服务，办理完毕' END
              WHEN 'closed' THEN (ARRAY['老人表示暂不需要', '家属已自行解决'])[1 + h % 2]
            END AS resolution,
            contacted_at AS created_at,
            CASE WHEN status = 'open' THEN contacted_at WHEN status = 'accepted' THEN accepted_at ELSE done_at END
              AS updated_at
          FROM t`,
    );
    for (let i = 0; i < worked.length; i += 5000) {
      await insertReferralsBulk(
        tx,
        worked.slice(i, i + 5000).map((r) => ({
          contactId: r.contact_id,
          elderId: r.elder_id,
          orgPath: r.org_path,
          need: r.need,
          status: r.status,
          handlerId: r.handler_id,
          acceptedAt: r.accepted_at && new Date(r.accepted_at),
          acceptedBy: r.accepted_by,
          resolvedAt: r.resolved_at && new Date(r.resolved_at),
          resolvedBy: r.resolved_by,
          resolution: r.resolution,
          createdAt: new Date(r.created_at),
          updatedAt: new Date(r.updated_at),
        })),
      );
    }
    return worked.length;
  });
}
