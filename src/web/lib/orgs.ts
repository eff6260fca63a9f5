import { useQuery } from '@tanstack/react-query';
import type { Org } from '../../shared/orgs.ts';
import { api } from './api.ts';

export const orgsKey = (tree?: string) => ['orgs', tree ?? 'all'] as const;

/** The org nodes in the caller's scope; feature pages reuse it for pickers. */
export function useOrgs(tree?: 'geo' | 'affiliation') {
  return useQuery({
    queryKey: orgsKey(tree),
    queryFn: async () => (await api.get<{ items: Org[] }>('/orgs', { tree })).items,
  });
}

export interface OrgNode extends Org {
  children: OrgNode[];
}

/** Flat rows (ordered by path) → a forest; nodes whose parent is out of scope become roots. */
export function buildForest(items: Org[]): OrgNode[] {
  const byId = new Map<number, OrgNode>(items.map((o) => [o.id, { ...o, children: [] }]));
  const roots: OrgNode[] = [];
  for (const o of items) {
    const node = byId.get(o.id)!;
    const parent = o.parentId == null ? undefined : byId.get(o.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (ns: OrgNode[]) => {
    ns.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
    for (const n of ns) sort(n.children);
  };
  sort(roots);
  return roots;
}
