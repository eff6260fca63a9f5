import { ensureWebBuilt } from '../../src/server/web-build.ts';

/** Vitest globalSetup of the browser tests: the web app is built once per run (skipped when fresh). */
export default async function setup() {
  await ensureWebBuilt((m) => console.log(`[e2e] ${m}`));
}
