import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from './platform/app-error.ts';

/** Files whose names carry a hash of their content: a new build gives them new names. */
const HASHED = /^\/assets\//;
const YEAR_S = 365 * 24 * 3600;

/**
 * Serves the built web app (decision 0015). Each text file has a brotli and a gzip copy written at build
 * time (scripts/precompress.ts); the one the browser accepts is sent as it is, with `Vary:
 * Accept-Encoding`. Hashed files under /assets/ are kept by browsers for a year without asking
 * (`immutable`); everything else — index.html, the service worker (decision 0005), its Workbox
 * runtime — is asked for again on every load (`no-cache`, answered 304 when unchanged), so a new release
 * reaches phones at their next start.
 */
export async function registerWebApp(app: FastifyInstance, webDist: string): Promise<boolean> {
  if (!fs.existsSync(path.join(webDist, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: webDist,
    prefix: '/',
    wildcard: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, file) => {
      const url = `/${path.relative(webDist, file).split(path.sep).join('/')}`;
      reply.header('cache-control', HASHED.test(url) ? `public, max-age=${YEAR_S}, immutable` : 'no-cache');
    },
  });
  // client-side routes: any non-API GET that is not a file gets the app shell (a route, because the
  // error handler already owns the not-found handler and Fastify allows only one per prefix). A missing
  // hashed file is a 404, not the shell: a page of an older release asking for a chunk that a new
  // release removed must fail as a script load (the page then reloads), not parse HTML as JavaScript.
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/') || HASHED.test(req.url)) throw new AppError('NOT_FOUND');
    return reply.sendFile('index.html');
  });
  return true;
}
