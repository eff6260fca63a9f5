import type { ComponentType, ReactNode } from 'react';
import { createBrowserRouter, type LazyRouteFunction, type RouteObject } from 'react-router';
import { canSee, useCurrentUser } from './lib/auth.ts';

/** A page of a menu entry: shown only to roles whose menu holds that key (the server checks again). */
function MenuGuard({
  menuKey,
  forbidden: Forbidden,
  children,
}: {
  menuKey: string;
  forbidden: ComponentType;
  children: ReactNode;
}) {
  const me = useCurrentUser();
  return canSee(me.role, menuKey) ? children : <Forbidden />;
}

/** What the app shows while the code of the first page arrives: index.html's placeholder, again. */
function Booting() {
  return (
    <div className="cc-boot" role="status" data-testid="boot-placeholder">
      <p className="cc-boot-brand">关爱圈</p>
      <div className="cc-boot-ring" aria-hidden="true" />
      <p className="cc-boot-text">加载中…</p>
    </div>
  );
}

/**
 * Each page is its own chunk, fetched when first opened (decision 0015): the login page does not wait
 * for the charts of the dashboard, nor the carer's worklist for the import wizard. The router loads the
 * layout and the page in parallel and keeps the current page on screen until the next one has arrived.
 * One loader per page, so two routes of one page (incidents, incidents/:id) share its component and
 * the page keeps its state between them.
 */
function page(load: () => Promise<ComponentType>, menuKey?: string): LazyRouteFunction<RouteObject> {
  let loaded: Promise<{ Component: ComponentType }> | undefined;
  return () => {
    loaded ??= Promise.all([load(), menuKey ? import('./features/layout/status-pages.tsx') : null]).then(
      ([Page, status]) => ({
        Component: status
          ? () => (
              <MenuGuard menuKey={menuKey!} forbidden={status.Forbidden}>
                <Page />
              </MenuGuard>
            )
          : Page,
      }),
    );
    // a failed fetch may be retried by the next navigation
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };
}

const incidents = page(
  async () => (await import('./features/incidents/incidents-page.tsx')).IncidentsPage,
  'incidents',
);

export const router = createBrowserRouter([
  {
    hydrateFallbackElement: <Booting />,
    children: [
      { path: '/login', lazy: page(async () => (await import('./features/auth/login-page.tsx')).LoginPage) },
      // public pages outside the staff layout; a full load of these paths never reaches the staff app
      // (main.tsx), these routes serve a client-side navigation to them
      { path: '/ack/:token', lazy: page(async () => (await import('./features/ack/ack-page.tsx')).AckPage) },
      {
        path: '/elder/:token',
        lazy: page(async () => (await import('./features/elder-page/elder-page.tsx')).ElderModePage),
      },
      {
        path: '/',
        lazy: page(async () => (await import('./features/layout/app-layout.tsx')).AppLayout),
        children: [
          {
            index: true,
            lazy: page(async () => (await import('./features/dashboard/dashboard-page.tsx')).DashboardPage),
          },
          {
            path: 'elders',
            lazy: page(async () => (await import('./features/elders/elders-page.tsx')).EldersPage, 'elders'),
          },
          {
            path: 'elders/import',
            lazy: page(async () => (await import('./features/elders/import-page.tsx')).ImportPage, 'elders'),
          },
          {
            path: 'elders/:id',
            lazy: page(async () => (await import('./features/elders/elder-page.tsx')).ElderPage, 'elders'),
          },
          {
            path: 'orgs',
            lazy: page(async () => (await import('./features/orgs/orgs-page.tsx')).OrgsPage, 'orgs'),
          },
          {
            path: 'accounts',
            lazy: page(
              async () => (await import('./features/accounts/accounts-page.tsx')).AccountsPage,
              'accounts',
            ),
          },
          {
            path: 'audit',
            lazy: page(async () => (await import('./features/audit/audit-page.tsx')).AuditPage, 'audit'),
          },
          { path: 'incidents', lazy: incidents },
          {
            path: 'incidents/history',
            lazy: page(
              async () => (await import('./features/incidents/history-page.tsx')).IncidentHistoryPage,
              'incidents',
            ),
          },
          { path: 'incidents/:id', lazy: incidents },
          {
            path: 'ladders',
            lazy: page(
              async () => (await import('./features/incidents/ladders-page.tsx')).LaddersPage,
              'ladders',
            ),
          },
          {
            path: 'worklist',
            lazy: page(
              async () => (await import('./features/worklist/worklist-page.tsx')).WorklistPage,
              'worklist',
            ),
          },
          {
            path: 'care',
            lazy: page(async () => (await import('./features/care/care-page.tsx')).CarePage, 'care'),
          },
          {
            path: '*',
            lazy: page(async () => (await import('./features/layout/status-pages.tsx')).NotFound),
          },
        ],
      },
    ],
  },
]);
