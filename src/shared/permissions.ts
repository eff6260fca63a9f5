import type { Role } from './auth.ts';

// What a caller may do, by role: the one table (after immich's `Permission` + `requireAccess`). The
// server checks it first in every service (`requireAccess` in platform/access.ts); the browser may read
// it to hide what would be refused. Which *rows* a permitted caller reaches is a separate rule kept in
// the query (platform/scope.ts `inScope`, elders.access `visibleElders`).

const staff = ['admin', 'manager', 'coordinator'] as const satisfies readonly Role[];
/** the live incident console (and the office's lists): staff and the dispatchers */
const office = [...staff, 'dispatcher'] as const satisfies readonly Role[];
/** those who carry out duties at the elder's door or on the phone */
const field = ['carer', 'doctor'] as const satisfies readonly Role[];
/** Health data (PIPL art. 28: sensitive): coordinators, managers and the elder's own doctor. */
const health = ['manager', 'coordinator', 'doctor'] as const satisfies readonly Role[];

export const permissionRoles = {
  /** the registry, each role in its own visibility (a provider has none) */
  'elders.read': [...office, ...field],
  /** profiles, circles, imports and doctor contracts */
  'elders.write': staff,
  /** 档案完整率 figures of a subtree (or a doctor's own elders) */
  'elders.completeness': [...office, 'doctor'],
  /** lists as spreadsheets: office staff (carers, doctors and providers work from their own pages) */
  'elders.export': office,
  /** a clear ID number: the staff who keep the registry */
  'elders.idNumber.reveal': staff,
  /** clear phones (elder and circle): anyone who may call the elder */
  'elders.phones.reveal': [...office, ...field],
  'health.read': health,
  'health.write': health,
  /** record contacts, pause and resume duties, see whom to call: on duties they may see */
  'care.work': [...staff, ...field],
  /** the care network of a whole subtree: pairing, leave, loads, deadlines, the policy (read), backdating */
  'care.manage': staff,
  'care.alerts': office,
  /** incident console reads: list, card, history, timeline, ladders, the live stream */
  'incidents.read': office,
  /** take responsibility: acknowledge, transition, note, dispatch, follow up */
  'incidents.ack': office,
  /** raise an incident of any kind (carers and doctors raise only a concern) */
  'incidents.raise': office,
  'incidents.raiseConcern': [...office, ...field],
  /** an elder's public SOS link (create, show) */
  'incidents.elderLink': staff,
  'referrals.handle': staff,
  'devices.read': office,
  'devices.write': staff,
  /** the service catalogue: everyone who opens, serves or follows up an order */
  'catalogue.read': [...office, ...field, 'provider'],
  /** the catalogue as a spreadsheet */
  'catalogue.export': office,
  /** the provider register: the office, and a provider's own staff (its own provider only, in the query) */
  'providers.read': [...office, 'provider'],
  /** register, edit and staff providers (within the admin's scope, checked in the service) */
  'providers.write': ['admin'],
  'accounts.read': staff,
  /** coordinators add volunteers only (checked in the service) */
  'accounts.create': ['admin', 'coordinator'],
  'accounts.write': ['admin'],
  'orgs.write': ['admin'],
  'audit.read': ['admin', 'manager'],
  /** the whole audit log, including rows that belong to no org: a city administrator (see below) */
  'audit.readAll': ['admin'],
  /**
   * City-wide configuration (escalation ladders, duty templates and policy rules, holidays, re-plan,
   * the service catalogue and its import):
   * an administrator whose scope holds a city node (decision 0013); a district's or street's
   * administrator acts within their nodes only.
   */
  'config.city': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionRoles;
export const permissions = Object.keys(permissionRoles) as Permission[];

/** Permissions that also need a city node among the caller's scopes, not only the role. */
export const cityWidePermissions: readonly Permission[] = ['config.city', 'audit.readAll'];

export interface Caller {
  role: Role;
  scopes: readonly { kind: string }[];
}

export function hasPermission(caller: Caller, permission: Permission): boolean {
  if (!(permissionRoles[permission] as readonly Role[]).includes(caller.role)) return false;
  return !cityWidePermissions.includes(permission) || caller.scopes.some((s) => s.kind === 'city');
}

/** The roles that hold a permission (e.g. whose accounts may be handed a referral). */
export function rolesWith(permission: Permission): readonly Role[] {
  return permissionRoles[permission];
}
