import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './app-error.ts';
import type { Config } from './config.ts';

/**
 * The Content-Security-Policy of the web app. Scripts only from our own origin, never inline, so an
 * injected `<script>` or `onclick=` does nothing. Styles may be inline: Ant Design writes its CSS at run
 * time into `<style>` elements, and index.html may hold a pure HTML/CSS loading placeholder (a `<style>`
 * block and markup — no script). Images from our origin and `data:` (icons); connections, the service
 * worker and fonts from our origin; nobody may frame the app.
 */
export const appCsp = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Swagger UI (/api/docs) loads its bundle and initializer as files; its widgets set inline styles. */
export const docsCsp = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Security headers on every answer, errors and files included (helmet's onRequest hook): CSP,
 * X-Content-Type-Options: nosniff, X-Frame-Options: DENY, Referrer-Policy: no-referrer (elder-page and
 * acknowledgement links carry tokens in their paths), HSTS only when served over https
 * (COOKIE_SECURE), and `Cache-Control: no-store` on every /api answer — they carry personal data, and
 * no browser or proxy cache should keep them (the offline worklist is kept by the service worker,
 * which does not read Cache-Control; decision 0005).
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...appCsp,
        // on plain http (a LAN install, localhost) upgrading would break every request
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs')) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}

/**
 * Who may read the API documentation (API_DOCS): `public`, `login` (any signed-in account) or `off`.
 * The default is `login` in production, `public` otherwise.
 */
export function docsGate(config: Config) {
  return async (req: FastifyRequest) => {
    if (config.apiDocs === 'login' && !req.auth) throw new AppError('UNAUTHENTICATED');
  };
}
