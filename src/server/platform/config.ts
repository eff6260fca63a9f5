import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server; when unset the embedded PGlite is used */
  databaseUrl?: string;
  /** embedded data directory (PGlite files, lock file, backups) */
  dataDir: string;
  nodeEnv: string;
  logLevel: string;
  /** secure cookies when served over https */
  cookieSecure: boolean;
  /** process roles: api serves HTTP; jobs runs the sweepers */
  roles: Set<'api' | 'jobs'>;
  /** the api role also serves the built web app (false: API only, the web app is served elsewhere) */
  serveWeb: boolean;
  loginRateLimitPerMinute: number;
  /**
   * Whose X-Forwarded-For to believe (TRUST_PROXY): false (the default) believes no one — the client
   * address is the socket's; a number trusts that many proxy hops; a comma-separated list of addresses
   * or CIDR ranges trusts those proxies; `true` trusts any sender (only when nothing but the proxy
   * can reach the server).
   */
  trustProxy: boolean | number | string;
  /** who may read /api/docs and /api/openapi.json (API_DOCS): public, login (any account) or off */
  apiDocs: 'public' | 'login' | 'off';
  /** embedded mode: hours between automatic backups (0 = off) */
  backupIntervalHours: number;
  /** how often the `jobs` role sweeps due timers (ladders, notification retries, device silence) */
  sweepIntervalMs: number;
  /** outbound channels of the notification outbox, from NOTIFY_* (see notifications/channels.ts) */
  notify: NotifyConfig;
  /** CONTACT_BACKDATE_DAYS: a contact older than this needs a coordinator's note (care/contacts.service.ts) */
  contactBackdateDays: number;
  /** HMAC key of 长辈版 links (decision 0010); unset: a key kept in the database */
  elderLinkKey?: string;
}

export interface GatewayConfig {
  url: string;
  headers: Record<string, string>;
  /** body template: {{to}}, {{text}}, {{link}}, {{code}} are replaced (JSON-escaped) */
  bodyTemplate: string;
}

export interface NotifyConfig {
  sms?: GatewayConfig;
  voice?: GatewayConfig;
  webhookUrl?: string;
  /** base of acknowledgement links sent to relatives */
  publicUrl: string;
  /** development: messages of unconfigured channels go to the console instead of failing */
  consoleFallback: boolean;
}

function gateway(env: NodeJS.ProcessEnv, name: 'SMS' | 'VOICE'): GatewayConfig | undefined {
  const url = env[`NOTIFY_${name}_URL`];
  if (!url) return undefined;
  return {
    url,
    headers: JSON.parse(env[`NOTIFY_${name}_HEADERS`] || '{}'),
    bodyTemplate: env[`NOTIFY_${name}_BODY`] || '{"to":"{{to}}","text":"{{text}}"}',
  };
}

function parseApiDocs(v: string | undefined, nodeEnv: string): Config['apiDocs'] {
  if (v === 'public' || v === 'login' || v === 'off') return v;
  if (v) throw new Error(`API_DOCS must be public, login or off (got "${v}")`);
  return nodeEnv === 'production' ? 'login' : 'public';
}

function parseTrustProxy(v: string | undefined): boolean | number | string {
  const s = (v ?? '').trim();
  if (s === '' || s === 'false' || s === '0') return false;
  if (s === 'true') return true;
  if (/^\d+$/.test(s)) return Number(s);
  return s
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .join(',');
}

function parseBackdateDays(v: string | undefined): number {
  if (v == null || v.trim() === '') return 7;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 366) {
    throw new Error(`CONTACT_BACKDATE_DAYS must be a whole number of days, 0–366 (got "${v}")`);
  }
  return n;
}

function parseElderLinkKey(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (v.length < 32)
    throw new Error('ELDER_LINK_KEY must be at least 32 characters (e.g. openssl rand -hex 32)');
  return v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const roles = (env.ROLES ?? 'api,jobs').split(',').map((r) => r.trim()) as ('api' | 'jobs')[];
  return {
    port: Number(env.PORT ?? 8080),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    nodeEnv: env.NODE_ENV ?? 'development',
    logLevel: env.LOG_LEVEL ?? 'info',
    cookieSecure: env.COOKIE_SECURE === 'true',
    roles: new Set(roles),
    serveWeb: env.SERVE_WEB !== 'false',
    loginRateLimitPerMinute: Number(env.LOGIN_RATE_LIMIT ?? 30),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    apiDocs: parseApiDocs(env.API_DOCS, env.NODE_ENV ?? 'development'),
    backupIntervalHours: Number(env.BACKUP_INTERVAL_HOURS ?? 24),
    sweepIntervalMs: Number(env.SWEEP_INTERVAL_MS ?? 1000),
    notify: {
      sms: gateway(env, 'SMS'),
      voice: gateway(env, 'VOICE'),
      webhookUrl: env.NOTIFY_WEBHOOK_URL || undefined,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 8080}`).replace(/\/$/, ''),
      consoleFallback: (env.NODE_ENV ?? 'development') !== 'production',
    },
    contactBackdateDays: parseBackdateDays(env.CONTACT_BACKDATE_DAYS),
    elderLinkKey: parseElderLinkKey(env.ELDER_LINK_KEY),
  };
}
