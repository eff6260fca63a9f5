import './lib/zod-config.ts';
import './lib/i18n.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { watchPendingLogout } from './lib/auth.ts';
import { registerServiceWorker } from './lib/service-worker.ts';

// The staff app. Production builds only: the carer's worklist then opens without a connection
// (decision 0005). The public pages (elder-main.tsx, ack-main.tsx) register no service worker: it
// would precache the whole staff app on an elder's or a relative's phone.
registerServiceWorker();
// a sign-out made with no connection is sent when the connection returns
watchPendingLogout();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
