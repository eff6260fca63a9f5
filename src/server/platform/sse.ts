import type { FastifyReply } from 'fastify';
import type pg from 'pg';
import type { Database } from './db.ts';

/**
 * The push hub: server-sent events to the browsers connected to this process. On a PostgreSQL server
 * every publish goes through NOTIFY on one channel and every process LISTENs, so a console connected
 * to process B hears an SOS received by process A. Embedded (PGlite, one process) it fans out in
 * memory. Messages carry ids and small payloads (NOTIFY's limit is 8000 bytes); browsers refetch.
 */
export interface HubMessage {
  /** delivered to users whose scope covers this org path */
  orgPath?: string;
  /** and to these users, whatever their scope */
  userIds?: number[];
  event: { type: string; [key: string]: unknown };
}

type Subscriber = { match: (m: HubMessage) => boolean; send: (m: HubMessage) => void };

export const NOTIFY_CHANNEL = 'cc_events';

export class SseHub {
  private subs = new Set<Subscriber>();
  private listener?: pg.PoolClient;
  private listening?: Promise<void>;
  private closed = false;

  constructor(private database: Database) {}

  /** Starts LISTEN on a PostgreSQL server (idempotent); in-process fan-out needs nothing. */
  start(): Promise<void> {
    if (this.database.kind !== 'postgres' || !this.database.pool) return Promise.resolve();
    this.listening ??= (async () => {
      const client = await this.database.pool!.connect();
      client.on('notification', (n) => {
        if (n.channel !== NOTIFY_CHANNEL || !n.payload) return;
        try {
          this.deliver(JSON.parse(n.payload) as HubMessage);
        } catch {
          /* a malformed payload is dropped: pushes are hints, the browser refetches anyway */
        }
      });
      client.on('error', () => {});
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      this.listener = client;
    })();
    return this.listening;
  }

  subscribe(match: Subscriber['match'], send: Subscriber['send']): () => void {
    const sub = { match, send };
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  get subscriberCount(): number {
    return this.subs.size;
  }

  /** Call after the transaction that made the change has committed. */
  async publish(messages: HubMessage[]): Promise<void> {
    if (messages.length === 0 || this.closed) return;
    if (this.database.kind === 'postgres') {
      await this.start();
      // one statement for the lot (a ladder batch pushes hundreds): in order, one round trip
      await this.database.query(
        'SELECT pg_notify($1, m) FROM unnest($2::text[]) WITH ORDINALITY AS x(m, n) ORDER BY n',
        [NOTIFY_CHANNEL, messages.map((m) => JSON.stringify(m))],
      );
      return;
    }
    for (const m of messages) this.deliver(m);
  }

  private deliver(m: HubMessage): void {
    for (const s of this.subs) {
      try {
        if (s.match(m)) s.send(m);
      } catch {
        /* one broken stream never stops the others */
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    const l = this.listener;
    this.listener = undefined;
    if (l) {
      await l.query(`UNLISTEN ${NOTIFY_CHANNEL}`).catch(() => {});
      l.release();
    }
  }
}

const hubs = new WeakMap<Database, SseHub>();

/** One hub per database handle (one per server process; tests build several apps). */
export function hubOf(database: Database): SseHub {
  let hub = hubs.get(database);
  if (!hub) {
    hub = new SseHub(database);
    hubs.set(database, hub);
  }
  return hub;
}

/**
 * Turns a reply into an event stream: headers, a comment every `keepAliveMs` so proxies keep it
 * open, and a cleanup when the client goes away.
 */
export function openEventStream(
  reply: FastifyReply,
  onClose: () => void,
  keepAliveMs = 25_000,
): { send: (event: string, data: unknown) => void } {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 3000\n\n');
  const timer = setInterval(() => raw.write(': keep-alive\n\n'), keepAliveMs);
  timer.unref();
  let done = false;
  const cleanup = () => {
    if (done) return;
    done = true;
    clearInterval(timer);
    onClose();
  };
  raw.on('close', cleanup);
  raw.on('error', cleanup);
  return {
    send(event, data) {
      if (!done) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
  };
}
