import { z } from 'zod';
import { carerKindSchema, roleSchema } from './auth.ts';

export const accountSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  carerKind: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  locked: z.boolean(),
  lastLoginAt: z.string().nullable(),
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

const password = z.string().min(8, '密码至少 8 位').max(128, '密码不超过 128 位');
export const createAccountBody = z.object({
  username: z
    .string()
    .trim()
    .min(2, '用户名至少 2 个字符')
    .max(64)
    .regex(/^[a-zA-Z0-9_.-]+$/, '用户名只能包含字母、数字、下划线、点和横线'),
  displayName: z.string().trim().min(1, '请输入姓名').max(64),
  password,
  role: roleSchema,
  carerKind: carerKindSchema.nullable().optional(),
  phone: z.string().trim().max(32).nullable().optional(),
  scopeOrgIds: z.array(z.number().int().positive()).min(1, '至少选择一个管辖范围'),
});
export const updateAccountBody = z.object({
  displayName: z.string().trim().min(1, '请输入姓名').max(64).optional(),
  password: password.optional(),
  role: roleSchema.optional(),
  carerKind: carerKindSchema.nullable().optional(),
  phone: z.string().trim().max(32).nullable().optional(),
  active: z.boolean().optional(),
  unlock: z.boolean().optional(),
  scopeOrgIds: z.array(z.number().int().positive()).min(1, '至少选择一个管辖范围').optional(),
});
