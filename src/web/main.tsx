import './lib/zod-config.ts';
import './lib/i18n.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { watchPendingLogout } from './lib/auth.ts';
import { registerServiceWorker } from './lib/service-worker.ts';

// production builds only: the carer's worklist then opens without a connection (decision 0005)
registerServiceWorker();
// a sign-out made with no connection is sent when the connection returns
watchPendingLogout();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
