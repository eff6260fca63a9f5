import {
  AlertOutlined,
  AuditOutlined,
  ClusterOutlined,
  DashboardOutlined,
  HeartOutlined,
  IdcardOutlined,
  NodeIndexOutlined,
  ScheduleOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { menuByRole, type Role } from '../../shared/auth.ts';

/** Where each menu key of `menuByRole` leads; feature modules add their entries here. */
export const menuEntries: Record<string, { path: string; icon: ReactNode }> = {
  dashboard: { path: '/', icon: <DashboardOutlined /> },
  elders: { path: '/elders', icon: <IdcardOutlined /> },
  orgs: { path: '/orgs', icon: <ClusterOutlined /> },
  accounts: { path: '/accounts', icon: <TeamOutlined /> },
  audit: { path: '/audit', icon: <AuditOutlined /> },
  worklist: { path: '/worklist', icon: <ScheduleOutlined /> },
  care: { path: '/care', icon: <HeartOutlined /> },
  incidents: { path: '/incidents', icon: <AlertOutlined /> },
  ladders: { path: '/ladders', icon: <NodeIndexOutlined /> },
};

export function menuKeysFor(role: Role): string[] {
  return menuByRole[role].filter((k) => k in menuEntries);
}

/** The menu key whose path is the longest prefix of the current location. */
export function selectedMenuKey(pathname: string): string | undefined {
  let best: string | undefined;
  let bestLen = -1;
  for (const [key, { path }] of Object.entries(menuEntries)) {
    const hit = path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
    if (hit && path.length > bestLen) {
      best = key;
      bestLen = path.length;
    }
  }
  return best;
}
