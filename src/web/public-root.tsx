import './lib/i18n.ts';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { i18n } from './lib/i18n.ts';
import { queryClient } from './lib/query.ts';

/**
 * Renders one public page (no account, no staff layout) at `path`, e.g. `/elder/:token`: the page, its
 * texts, the query client and a router for its parameters — none of the staff app (decision 0015).
 */
export function renderPublicPage(path: string, page: ReactNode): void {
  document.title = i18n.t('app.fullName');
  const router = createBrowserRouter([{ path, element: page }]);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
