import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './scripts/precompress.ts';
import {
  API_CACHE,
  OFFLINE_API_MAX_AGE_S,
  OFFLINE_API_PATHS,
  OFFLINE_NETWORK_TIMEOUT_S,
} from './src/web/lib/offline-cache.ts';

/** The kept API paths, whole (no query string), on this origin. */
const offlineApi = new RegExp(`^https?://[^/?#]+(?:${OFFLINE_API_PATHS.join('|')})$`);

/**
 * Tells the page that the answer it is about to get is the offline copy, and from when (the page shows
 * "离线 · 显示的是 HH:mm 的任务"). Workbox copies this function into the service worker as source text:
 * it can use nothing from this file, hence the literal OFFLINE_COPY_MESSAGE.
 */
const offlineCopyNotice = {
  cachedResponseWillBeUsed: async ({
    cachedResponse,
    event,
    request,
  }: {
    cachedResponse?: Response;
    event?: Event;
    request: Request;
  }) => {
    const clientId = (event as { clientId?: string } | undefined)?.clientId;
    if (cachedResponse && clientId) {
      const sw = self as unknown as {
        clients: { get(id: string): Promise<{ postMessage(m: unknown): void } | undefined> };
      };
      const client = await sw.clients.get(clientId);
      client?.postMessage({
        type: 'carecircle:offline-copy',
        path: new URL(request.url).pathname,
        fetchedAt: cachedResponse.headers.get('date'),
      });
    }
    return cachedResponse ?? null;
  },
};

// The web app: index.html at the repo root, built into dist/web, which the server serves with an SPA
// fallback. `npm run dev` serves the API on :8080; `npx vite` proxies /api there while editing the UI.
// The production build also writes a service worker (dist/web/sw.js, decision 0005) so the carer's
// worklist opens without a connection; src/web/main.tsx registers it only in production builds.
export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      strategies: 'generateSW',
      filename: 'sw.js',
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: false,
      devOptions: { enabled: false },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'],
        // the app is one bundle of ~2.5 MB (antd, echarts); Workbox skips files over 2 MiB by default
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            urlPattern: offlineApi,
            method: 'GET',
            handler: 'NetworkFirst',
            options: {
              cacheName: API_CACHE,
              networkTimeoutSeconds: OFFLINE_NETWORK_TIMEOUT_S,
              expiration: { maxEntries: OFFLINE_API_PATHS.length * 2, maxAgeSeconds: OFFLINE_API_MAX_AGE_S },
              cacheableResponse: { statuses: [200] },
              plugins: [offlineCopyNotice],
            },
          },
        ],
      },
    }),
    // .br and .gz beside each file, sent by the server as they are (decision 0015); last, after sw.js
    precompress(),
  ],
  publicDir: false,
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
