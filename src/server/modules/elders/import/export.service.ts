import type { ExportQuery } from '../../../../shared/elders-import.ts';
import { requireAccess } from '../../../platform/access.ts';
import { AppError } from '../../../platform/app-error.ts';
import type { Ctx } from '../../../platform/auth.ts';
import { shanghaiDate } from '../../../platform/clock.ts';
import { getOrgInScope } from '../../orgs/orgs.service.ts';
import { canReveal } from '../elders.access.ts';
import { listEldersForExport } from '../elders.service.ts';
import type { ImportDeps } from './import.service.ts';
import { buildLedger, buildListExport } from './workbooks.ts';

/**
 * The filtered registry as .xlsx: the plain list, or the ledger form. Masked (ID numbers, phones)
 * unless `clear` is asked for, with a reason, by a role that may reveal ID numbers; the elders
 * service audits every export and its reason.
 */
export async function exportElders(
  deps: ImportDeps,
  ctx: Ctx,
  q: ExportQuery,
): Promise<{ file: Buffer; fileName: string; rows: number }> {
  requireAccess(ctx, 'elders.export');
  const { form, clear, reason, title, ...filters } = q;
  if (clear) {
    if (!canReveal(ctx, 'idNumber')) throw new AppError('FORBIDDEN');
    if (!reason || reason.length < 2) {
      throw new AppError('VALIDATION_FAILED', undefined, [
        {
          field: 'reason',
          message: '导出明文信息须填写原因',
          messageEn: 'Give a reason to export clear values',
        },
      ]);
    }
  }
  const today = shanghaiDate(deps.clock.now());
  let orgName = '';
  if (filters.orgId) orgName = (await getOrgInScope(deps.db, ctx, filters.orgId)).name;
  else if (ctx.auth.scopes.length === 1) orgName = ctx.auth.scopes[0]!.name;

  const rows = await listEldersForExport(deps.db, ctx, filters, { clear, reason, clock: deps.clock });
  if (form === 'ledger') {
    // titled for what it holds: 特殊困难老年人 only when every elder listed is one (2022 guidance groups)
    const special = rows.length > 0 && rows.every((r) => r.difficultyGroups.length > 0);
    const ledgerTitle = title || `${orgName}${special ? '特殊困难老年人' : '老年人'}信息台账`;
    const file = await buildLedger(rows, { title: ledgerTitle, unit: orgName, today });
    return { file, fileName: `${ledgerTitle}_${today}.xlsx`, rows: rows.length };
  }
  const file = await buildListExport(rows);
  return { file, fileName: `${orgName}老人名单_${today}.xlsx`, rows: rows.length };
}
