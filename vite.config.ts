import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app: index.html at the repo root, built into dist/web, which the server serves with an SPA
// fallback. `npm run dev` serves the API on :8080; `npx vite` proxies /api there while editing the UI.
export default defineConfig({
  plugins: [react()],
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
