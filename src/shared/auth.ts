import { z } from 'zod';

export const roles = [
  'admin',
  'manager',
  'coordinator',
  'dispatcher',
  'carer',
  'doctor',
  'provider',
] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const carerKinds = [
  'volunteer',
  'advisor',
  'group_leader',
  'party_contact',
  'staff',
  'doctor',
] as const;
export const carerKindSchema = z.enum(carerKinds);

export const loginBody = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});

export const scopeNode = z.object({ id: z.number(), name: z.string(), kind: z.string(), path: z.string() });

export const meResponse = z.object({
  user: z.object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    role: roleSchema,
    carerKind: z.string().nullable(),
  }),
  role: roleSchema,
  scopes: z.array(scopeNode),
  /** echo of the CSRF token: state-changing requests send it back as `X-CSRF-Token` */
  csrfToken: z.string(),
});
export type Me = z.infer<typeof meResponse>;

export const okResponse = z.object({ ok: z.literal(true) });

/** Menu entries each role sees; the server enforces the same rules on every route. */
export const menuByRole: Record<Role, string[]> = {
  admin: ['dashboard', 'incidents', 'ladders', 'elders', 'care', 'orgs', 'accounts', 'audit'],
  // managers and coordinators read the accounts in their scope (carers to pair, staff to reach)
  manager: ['dashboard', 'incidents', 'elders', 'care', 'orgs', 'accounts', 'audit'],
  coordinator: ['dashboard', 'incidents', 'elders', 'care', 'orgs', 'accounts'],
  dispatcher: ['dashboard', 'incidents', 'elders'],
  carer: ['dashboard', 'worklist'],
  doctor: ['dashboard', 'worklist', 'elders'],
  provider: ['dashboard'],
};
