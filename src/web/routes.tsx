import type { ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { AccountsPage } from './features/accounts/accounts-page.tsx';
import { AckPage } from './features/ack/ack-page.tsx';
import { AuditPage } from './features/audit/audit-page.tsx';
import { LoginPage } from './features/auth/login-page.tsx';
import { CarePage } from './features/care/care-page.tsx';
import { DashboardPage } from './features/dashboard/dashboard-page.tsx';
import { ElderModePage } from './features/elder-page/elder-page.tsx';
import { ElderPage } from './features/elders/elder-page.tsx';
import { EldersPage } from './features/elders/elders-page.tsx';
import { ImportPage } from './features/elders/import-page.tsx';
import { IncidentsPage } from './features/incidents/incidents-page.tsx';
import { LaddersPage } from './features/incidents/ladders-page.tsx';
import { AppLayout } from './features/layout/app-layout.tsx';
import { Forbidden, NotFound } from './features/layout/status-pages.tsx';
import { OrgsPage } from './features/orgs/orgs-page.tsx';
import { WorklistPage } from './features/worklist/worklist-page.tsx';
import { canSee, useCurrentUser } from './lib/auth.ts';

/** A page of a menu entry: shown only to roles whose menu holds that key (the server checks again). */
function MenuGuard({ menuKey, children }: { menuKey: string; children: ReactNode }) {
  const me = useCurrentUser();
  return canSee(me.role, menuKey) ? children : <Forbidden />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // public pages outside the staff layout: a relative's acknowledgement link, the elder's 长辈版 page
  { path: '/ack/:token', element: <AckPage /> },
  { path: '/elder/:token', element: <ElderModePage /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <DashboardPage /> },
      {
        path: 'elders',
        element: (
          <MenuGuard menuKey="elders">
            <EldersPage />
          </MenuGuard>
        ),
      },
      {
        path: 'elders/import',
        element: (
          <MenuGuard menuKey="elders">
            <ImportPage />
          </MenuGuard>
        ),
      },
      {
        path: 'elders/:id',
        element: (
          <MenuGuard menuKey="elders">
            <ElderPage />
          </MenuGuard>
        ),
      },
      {
        path: 'orgs',
        element: (
          <MenuGuard menuKey="orgs">
            <OrgsPage />
          </MenuGuard>
        ),
      },
      {
        path: 'accounts',
        element: (
          <MenuGuard menuKey="accounts">
            <AccountsPage />
          </MenuGuard>
        ),
      },
      {
        path: 'audit',
        element: (
          <MenuGuard menuKey="audit">
            <AuditPage />
          </MenuGuard>
        ),
      },
      {
        path: 'incidents',
        element: (
          <MenuGuard menuKey="incidents">
            <IncidentsPage />
          </MenuGuard>
        ),
      },
      {
        path: 'incidents/:id',
        element: (
          <MenuGuard menuKey="incidents">
            <IncidentsPage />
          </MenuGuard>
        ),
      },
      {
        path: 'ladders',
        element: (
          <MenuGuard menuKey="ladders">
            <LaddersPage />
          </MenuGuard>
        ),
      },
      {
        path: 'worklist',
        element: (
          <MenuGuard menuKey="worklist">
            <WorklistPage />
          </MenuGuard>
        ),
      },
      {
        path: 'care',
        element: (
          <MenuGuard menuKey="care">
            <CarePage />
          </MenuGuard>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
