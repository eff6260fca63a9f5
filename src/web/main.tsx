// The first script of every page, kept to a few hundred bytes (decision 0015): it picks the page's own
// code by path, so an elder's 长辈版 page and a relative's acknowledgement link load a small page of
// their own on a slow phone, and only staff download the staff app (Ant Design, charts…). Until that
// code runs, index.html shows its pure HTML/CSS 加载中 placeholder.

const RELOADED_AT = 'carecircle.reloadedForChunk';

// A page of an older release asks for a chunk that a newer release removed (its file names carry a
// hash): load the new release once, rather than leave a blank page. Not twice in a minute, so a
// chunk that is missing for another reason shows its error instead of reloading forever.
window.addEventListener('vite:preloadError', (e) => {
  try {
    const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0);
    if (Date.now() - last < 60_000) return;
    sessionStorage.setItem(RELOADED_AT, String(Date.now()));
  } catch {
    return; // storage refused: no way to tell a second reload from the first
  }
  e.preventDefault();
  window.location.reload();
});

// zod compiles its parsers with eval (new Function) unless told not to when each schema is built; the
// CSP forbids eval and the browser reports every probe. lib/zod-config.ts says so with z.config, but
// once the staff app is split into chunks a chunk of schemas can run before it. zod reads its settings
// from this global (created only if absent), so setting it here, before any chunk, holds in every
// order; the CSP browser test (security-headers.e2e.ts) fails if a zod release stops reading it.
(globalThis as { __zod_globalConfig?: object }).__zod_globalConfig = { jitless: true };

// One function per page, each with its own import(): written as if/else, the minifier merged the three
// calls into one whose preload list was the staff app's, and the elder's phone fetched it all.
const pages = {
  elder: () => import('./elder-main.tsx'),
  ack: () => import('./ack-main.tsx'),
  staff: () => import('./staff-main.tsx'),
};
const page = /^\/(elder|ack)\//.exec(window.location.pathname)?.[1] as 'elder' | 'ack' | undefined;
void pages[page ?? 'staff']();
