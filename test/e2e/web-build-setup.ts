import { ensureWebBuilt } from '../../src/server/web-build.ts';

/**
 * Vitest globalSetup of the browser tests: the web app is built once per run (skipped when fresh).
 * Vitest sets NODE_ENV=test, which would make Vite emit the much slower development builds of React
 * and antd; the browser tests drive what `npm start` serves, the production build.
 */
export default async function setup() {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await ensureWebBuilt((m) => console.log(`[e2e] ${m}`));
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
