import { sql } from 'drizzle-orm';
import { requireAccess } from '../../platform/access.ts';
import { notFound } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { rows, withTx } from '../../platform/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { circleForEmergencyAsSystem } from '../elders/circle.service.ts';
import { type Deps, dutyScope } from './care.service.ts';

/**
 * After 未接通 or 有异常 the carer calls the elder's circle (issue 11.7): the people around the elder in
 * the circle's call order (the coordinator puts the relative who lives nearby first), with their
 * phones in clear for a tel: link — only for a duty that is the caller's (a carer's or doctor's own,
 * staff within scope), and written to the audit log like any other reveal of circle phones.
 */
export async function circleToCall(deps: Deps, ctx: Ctx, dutyId: number) {
  requireAccess(ctx, 'care.work');
  const [d] = await rows<{ elder_id: number; org_path: string }>(
    deps.db,
    sql`SELECT d.elder_id, d.org_path FROM duties d WHERE d.id = ${dutyId} AND d.active AND ${dutyScope(ctx)}`,
  );
  if (!d) throw notFound({ zh: '找不到该关爱职责', en: 'Duty not found' });
  return withTx(deps.db, async (tx) => {
    const circle = await circleForEmergencyAsSystem(tx, Number(d.elder_id));
    const items = circle
      // the caller is not someone to call, nor is a person without a number
      .filter((c) => c.userId !== ctx.auth.userId && c.phones.length > 0)
      .map((c) => ({
        id: c.id,
        kind: c.kind,
        name: c.name,
        relation: c.relation,
        phones: c.phones,
        livesNearby: c.livesNearby,
      }));
    await recordAudit(tx, ctx, {
      action: 'elder.reveal',
      entity: 'elder',
      entityId: Number(d.elder_id),
      orgPath: d.org_path,
      reason: '联系不上老人或发现异常，联系关爱圈',
      details: { field: 'circlePhones', dutyId },
    });
    return { items };
  });
}
