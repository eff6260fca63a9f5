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

/**
 * A forest as TreeSelect options. Inside the tree a node keeps its short `title` (a grid sits under its
 * community); the chosen value and the search read `label`, the name people read (`湖滨社区 / 第1网格`):
 * pass `orgTreeSelectProps` to the TreeSelect.
 */
export interface OrgTreeOption {
  value: number;
  title: string;
  label: string;
  selectable?: boolean;
  children: OrgTreeOption[];
}

export function orgTreeOptions(
  ns: OrgNode[],
  opts: { title?: (n: OrgNode) => string; selectable?: (n: OrgNode) => boolean } = {},
): OrgTreeOption[] {
  return ns.map((n) => ({
    value: n.id,
    title: opts.title ? opts.title(n) : n.name,
    label: n.displayName,
    ...(opts.selectable ? { selectable: opts.selectable(n) } : {}),
    children: orgTreeOptions(n.children, opts),
  }));
}

/** The selected value reads with its community; searching `湖滨` finds the community's grids too. */
export const orgTreeSelectProps = {
  treeNodeLabelProp: 'label',
  showSearch: { treeNodeFilterProp: 'label' },
} as const;
