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
  loginRateLimitPerMinute: number;
  /** embedded mode: hours between automatic backups (0 = off) */
  backupIntervalHours: number;
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
    loginRateLimitPerMinute: Number(env.LOGIN_RATE_LIMIT ?? 30),
    backupIntervalHours: Number(env.BACKUP_INTERVAL_HOURS ?? 24),
  };
}
