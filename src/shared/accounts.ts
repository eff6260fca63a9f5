import { z } from 'zod';
import { carerKindSchema, roleSchema } from './auth.ts';
import { newPasswordSchema } from './common-passwords.ts';
import { phoneSchema } from './phone.ts';

export const accountSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  carerKind: z.string().nullable(),
  /** masked (`138****5678`); in clear only through POST /accounts/:id/reveal */
  phone: z.string().nullable(),
  active: z.boolean(),
  locked: z.boolean(),
  lastLoginAt: z.string().nullable(),
  /** `name` as people read it: a grid with its community (`湖滨社区 / 第1网格`) */
  scopes: z.array(z.object({ id: z.number(), name: z.string() })),
});
export type Account = z.infer<typeof accountSchema>;

export const accountListQuery = z.object({
  q: z.string().trim().optional(),
  role: roleSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const accountListResponse = z.object({ items: z.array(accountSchema), total: z.number() });

const password = newPasswordSchema;
const phone = phoneSchema.nullable().optional();
const displayName = z.string().trim().min(1, '请输入姓名').max(64, '姓名不超过 64 字');
export const createAccountBody = z.object({
  username: z
    .string()
    .trim()
    .min(2, '用户名至少 2 个字符')
    .max(64, '用户名不超过 64 个字符')
    .regex(/^[a-zA-Z0-9_.-]+$/, '用户名只能包含字母、数字、下划线、点和横线'),
  displayName,
  password,
  role: roleSchema,
  carerKind: carerKindSchema.nullable().optional(),
  phone,
  scopeOrgIds: z.array(z.number().int().positive()).min(1, '至少选择一个管辖范围'),
});
export const updateAccountBody = z.object({
  displayName: displayName.optional(),
  password: password.optional(),
  role: roleSchema.optional(),
  carerKind: carerKindSchema.nullable().optional(),
  phone,
  active: z.boolean().optional(),
  unlock: z.boolean().optional(),
  scopeOrgIds: z.array(z.number().int().positive()).min(1, '至少选择一个管辖范围').optional(),
});

export const accountRevealBody = z.object({
  reason: z.string().trim().min(2, '请填写查看原因').max(200, '原因不超过 200 字'),
});
export const accountRevealResponse = z.object({ phone: z.string().nullable() });

/** POST /me/password: one's own password; the new one under the same strength rule as an admin's reset. */
export const changeOwnPasswordBody = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(256),
  newPassword: newPasswordSchema,
});
