import { z } from 'zod';

export const orgTrees = ['geo', 'affiliation'] as const;
/** Allowed child kinds per parent kind; `null` is a root. */
export const orgKindChildren: Record<string, string[]> = {
  root_geo: ['city'],
  city: ['district'],
  district: ['street'],
  street: ['community'],
  community: ['grid'],
  grid: [],
  root_affiliation: ['unit'],
  unit: ['department'],
  department: [],
};
export const orgKinds = ['city', 'district', 'street', 'community', 'grid', 'unit', 'department'] as const;

export const orgSchema = z.object({
  id: z.number(),
  tree: z.enum(orgTrees),
  kind: z.enum(orgKinds),
  parentId: z.number().nullable(),
  name: z.string(),
  code: z.string().nullable(),
  path: z.string(),
  depth: z.number(),
  sortOrder: z.number(),
  /** how people read the node: a grid with its community (`湖滨社区 / 第1网格`), others by name */
  displayName: z.string(),
});
export type Org = z.infer<typeof orgSchema>;

export const orgListQuery = z.object({ tree: z.enum(orgTrees).optional() });
export const orgListResponse = z.object({ items: z.array(orgSchema) });

export const createOrgBody = z.object({
  tree: z.enum(orgTrees),
  kind: z.enum(orgKinds),
  parentId: z.number().int().positive().nullable(),
  name: z.string().trim().min(1, '名称不能为空').max(100, '名称不超过 100 字'),
  code: z.string().trim().max(32).nullable().optional(),
  sortOrder: z.number().int().optional(),
});
export const updateOrgBody = z.object({
  name: z.string().trim().min(1, '名称不能为空').max(100, '名称不超过 100 字').optional(),
  code: z.string().trim().max(32).nullable().optional(),
  sortOrder: z.number().int().optional(),
});
/** How a node is named to people: a grid with its community (`湖滨社区 / 第1网格`), others by name. */
export function orgDisplayName(org: { kind: string; name: string }, parentName?: string | null): string {
  return org.kind === 'grid' && parentName ? `${parentName} / ${org.name}` : org.name;
}

export const idParams = z.object({ id: z.coerce.number().int().positive() });
