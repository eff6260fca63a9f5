import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import './db-errors.ts'; // failed statements are never logged with their parameters

// biome-ignore lint/suspicious/noExplicitAny: drizzle's schema generic is erased on purpose: modules own their tables
export type Db = PgDatabase<PgQueryResultHKT, any>;
// biome-ignore lint/suspicious/noExplicitAny: see Db
export type Tx = PgTransaction<PgQueryResultHKT, any, any>;
/** Repository functions take either the database or an open transaction as first argument. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** raw SQL returning rows, same parsers on both drivers */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** the PGlite instance in embedded mode (backups) */
  pglite?: PGlite;
  pool?: pg.Pool;
}

// Same type parsers on both drivers, so results never differ by backend:
// int8 and numeric as numbers (counts and sums stay far below 2^53), date as a plain 'YYYY-MM-DD'.
const toNumber = (v: string) => (v === null ? null : Number(v));
const identity = (v: string) => v;
pg.types.setTypeParser(pg.types.builtins.INT8, toNumber);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, toNumber);
pg.types.setTypeParser(pg.types.builtins.DATE, identity);
const pgliteParsers = {
  [pgliteTypes.INT8]: toNumber,
  [pgliteTypes.NUMERIC]: toNumber,
  [pgliteTypes.DATE]: identity,
};

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  // Every session in UTC; "today" in Asia/Shanghai is always computed explicitly. A connection that
  // cannot be made within 10 s fails the request (503) instead of holding it; TCP keep-alive finds a
  // server that vanished without closing the socket. `application_name` in the URL wins.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: '-c TimeZone=UTC',
    application_name: 'carecircle',
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  });
  // A connection dropped by the server (restart, failover, pg_terminate_backend) emits 'error' on its
  // client. The pool listens only while the client is idle; a client checked out — a transaction, the
  // group-commit writer's batch, a sweep — has no listener, and an unhandled 'error' event ends the
  // process. So every client gets one for its whole life: the query in flight fails on its own (503),
  // the pool drops the broken client when it is released and opens a new one for the next query.
  pool.on('connect', (client) => {
    client.on('error', (err) => console.error(`[db] connection lost: ${err.message}`));
  });
  pool.on('error', () => {
    /* an idle client's error: already logged by its own listener above */
  });
  const db = drizzleNodePg(pool) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    pool,
    async query(text, params) {
      const r = await pool.query(text, params as unknown[]);
      return r.rows;
    },
    close: () => pool.end(),
  };
}

export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Database> {
  if (dataDir && !dataDir.includes('://')) secureDataDir(dataDir, () => {});
  const pglite = await PGlite.create({ dataDir, parsers: pgliteParsers, loadDataDir });
  // PGlite's initdb (and a restore) chmod the files they write to 0666 whatever the umask: made
  // private again once it is open; files it creates later follow the umask (0600)
  if (dataDir && !dataDir.includes('://')) secureDataDir(dataDir, () => {});
  await pglite.exec(`SET TIME ZONE 'UTC'`);
  const db = drizzlePglite(pglite) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite,
    async query(text, params) {
      const r = await pglite.query(text, params as unknown[]);
      return r.rows as never[];
    },
    close: () => pglite.close(),
  };
}

/** Runs `fn` in one transaction: every write of a use case commits together or not at all. */
export function withTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

/** Rows of a raw statement (reports, bulk work), the same shape on both drivers. */
export async function rows<T>(ex: Executor, query: SQL): Promise<T[]> {
  const r = (await ex.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

/** Raw statements return timestamps as Date (pg) or text (PGlite through drizzle): always a Date here. */
export function asDate(v: unknown): Date | null {
  if (v == null) return null;
  if (v instanceof Date) return v;
  const s = String(v).replace(' ', 'T');
  return new Date(/[+-]\d\d$/.test(s) ? `${s}:00` : s);
}

// drizzle's own (internal) way to run a statement, which takes a prepared-statement name
interface DrizzleInternals {
  dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } };
  session: {
    /** the pg Pool or, in a transaction, its PoolClient (PGlite: the instance or its transaction) */
    client: unknown;
    prepareQuery(
      q: { sql: string; params: unknown[] },
      fields: undefined,
      name: string,
      array: false,
    ): {
      execute(): Promise<unknown>;
    };
  };
}
const statementNames = new Map<string, string>();

/**
 * Rows of a hot statement, run as a named prepared statement: on PostgreSQL each pooled connection
 * parses and plans it once instead of on every call (planning the worklist's joins cost more than
 * running them). The name is a hash of the text, so a statement whose text varies (a list of scope
 * nodes, a number of VALUES rows) gets one name per variant: use it only where the variants are few.
 * On PGlite it runs like `rows`.
 */
export async function preparedRows<T>(ex: Executor, query: SQL): Promise<T[]> {
  const { dialect, session } = ex as unknown as DrizzleInternals;
  const built = dialect.sqlToQuery(query);
  let name = statementNames.get(built.sql);
  if (!name) {
    name = `cc_${createHash('sha1').update(built.sql).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 10_000) statementNames.set(built.sql, name);
  }
  if (session.client instanceof pg.Pool || session.client instanceof pg.Client) {
    // straight to the driver: drizzle's layer around a raw query (tracing, placeholders, result
    // cache hooks) cost a hot path more than the query's own client-side work
    const r = await session.client.query({
      name,
      text: built.sql,
      values: built.params,
      types: rawTimestamps,
    });
    return r.rows as T[];
  }
  const r = (await session.prepareQuery(built, undefined, name, false).execute()) as { rows: T[] };
  return r.rows;
}

// timestamps as the text PostgreSQL sends, as drizzle's raw queries return them (see asDate)
const rawTimestamps = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.TIMESTAMPTZ || oid === pg.types.builtins.TIMESTAMP
      ? (v: string) => v
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Several independent data-modifying statements sent as one (one round trip): all but the last become
 * CTEs, which PostgreSQL runs exactly once each, on the same snapshot, whatever the last one returns.
 * The statements must not depend on one another's effects. Nulls are skipped; nothing to run is a no-op.
 * Run as a prepared statement (see `preparedRows`): keep the number of text variants small.
 */
export async function together(ex: Executor, statements: (SQL | null)[]): Promise<void> {
  const list = statements.filter((s): s is SQL => s != null);
  if (list.length === 0) return;
  const last = list[list.length - 1];
  const ctes = list.slice(0, -1).map((s, i) => sql`${sql.raw(`w${i}`)} AS (${s})`);
  await preparedRows(ex, ctes.length ? sql`WITH ${sql.join(ctes, sql`, `)} ${last}` : last);
}

export { sql };

/**
 * The embedded data (PGlite's files, its WAL with ID numbers and phones, backups, the demo device
 * secret) is readable by this account only. PGlite creates its files with mode 0666 less the umask,
 * so the process's umask becomes 077 before anything is opened: directories 0700, files 0600. A
 * directory left looser by an earlier version (or a copy) is tightened in place, once; one we may not
 * change is refused rather than used.
 */
export function secureDataDir(dataDir: string, log: (msg: string) => void = console.warn): void {
  process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let fixed = 0;
  const tighten = (p: string, isDir: boolean) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink() || (st.mode & 0o077) === 0) return;
    try {
      fs.chmodSync(p, isDir ? 0o700 : 0o600);
      fixed++;
    } catch (err) {
      throw new Error(
        `数据目录中的 ${p} 权限过宽（${(st.mode & 0o777).toString(8)}），且无法收紧：${(err as Error).message}。请以数据所有者身份运行，或执行 chmod -R go-rwx ${dataDir}\n` +
          `${p} in the data directory is readable by others (${(st.mode & 0o777).toString(8)}) and cannot be tightened: run as the data's owner, or chmod -R go-rwx ${dataDir}`,
      );
    }
  };
  const walk = (dir: string) => {
    tighten(dir, true);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) tighten(p, false);
    }
  };
  walk(dataDir);
  if (fixed > 0)
    log(`[carecircle] data directory ${dataDir}: ${fixed} files and folders made private (0600/0700)`);
}

/**
 * PGlite is one session in one process: two processes on one data directory silently lose writes.
 * The server holds an exclusive lock file on the directory for its lifetime.
 */
export function lockDataDir(dataDir: string): () => void {
  secureDataDir(dataDir);
  const lockPath = path.join(dataDir, 'carecircle.lock');
  const take = () => {
    const fd = fs.openSync(lockPath, 'wx');
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
  };
  try {
    take();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new DataDirLockedError(dataDir, pid);
    }
    // a stale lock from a process that died: take it over
    fs.rmSync(lockPath, { force: true });
    take();
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.rmSync(lockPath);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
  return release;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `数据目录 ${dataDir} 已被另一个 CareCircle 进程（PID ${pid}）占用；嵌入式数据库只能由一个进程打开。请先停止该进程，或用 DATA_DIR 指定其他目录。\n` +
        `The data directory ${dataDir} is in use by another CareCircle process (PID ${pid}); the embedded database can only be opened by one process. Stop it first, or set DATA_DIR to another directory.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
