import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webDist } from './app.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

/** Builds the web app with Vite when dist/web is missing or older than its sources. */
export async function ensureWebBuilt(log: (m: string) => void): Promise<void> {
  const index = path.join(webDist, 'index.html');
  const sources = [
    path.join(root, 'src/web'),
    path.join(root, 'src/shared'),
    path.join(root, 'index.html'),
    path.join(root, 'vite.config.ts'),
    path.join(root, 'scripts/precompress.ts'),
  ];
  const srcTime = Math.max(...sources.filter((s) => fs.existsSync(s)).map(newest));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= srcTime) return;
  log('building the web app (first start or sources changed)…');
  const { build } = await import('vite');
  await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
