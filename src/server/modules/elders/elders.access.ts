import { type SQL, sql } from 'drizzle-orm';
import { hasAccess } from '../../platform/access.ts';
import type { Ctx } from '../../platform/auth.ts';
import { inScope } from '../../platform/scope.ts';
import { activeContractOf, pairedWith } from './elders.repo.ts';
import { elders } from './elders.schema.ts';

/**
 * Who sees which elders (enforced in every query, not only in the UI):
 * - admin, manager, coordinator, dispatcher: elders whose community/grid OR affiliation lies in scope;
 * - doctor: only the elders with a running family-doctor contract with them (the contract is the
 *   legal basis for reading a health record, whatever the doctor's org scope);
 * - carer: only the elders paired with them (circle_contacts kind 'carer', written by the care network);
 * - provider: no registry at all (least data; work orders carry what they need).
 */
export function visibleElders(ctx: Ctx, today: string): SQL {
  const { auth } = ctx;
  switch (auth.role) {
    case 'admin':
    case 'manager':
    case 'coordinator':
    case 'dispatcher':
      return sql`(${inScope(auth, elders.orgPath)} OR ${inScope(auth, elders.affiliationPath)})`;
    case 'doctor':
      return activeContractOf(elders.id, today, auth.userId);
    case 'carer':
      return pairedWith(auth.userId);
    default:
      return sql`false`;
  }
}

/** Health data (PIPL art. 28: sensitive) is for coordinators, managers and the elder's own doctor. */
export function canSeeHealth(ctx: Ctx): boolean {
  return hasAccess(ctx, 'health.read');
}

/** Clear ID numbers are for the staff who keep the registry; phones for anyone who may call the elder. */
export function canReveal(ctx: Ctx, field: 'idNumber' | 'phones' | 'circlePhones'): boolean {
  return hasAccess(ctx, field === 'idNumber' ? 'elders.idNumber.reveal' : 'elders.phones.reveal');
}
