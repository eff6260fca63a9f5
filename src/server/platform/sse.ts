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
  private retrying?: NodeJS.Timeout;
  private closed = false;

  constructor(private database: Database) {}

  /**
   * Starts LISTEN on a PostgreSQL server (idempotent); in-process fan-out needs nothing. A LISTEN
   * connection that is lost (the server restarted, a proxy cut it) is replaced after a second, again
   * until it works, so the consoles of this process keep hearing the other processes' events.
   */
  start(): Promise<void> {
    if (this.database.kind !== 'postgres' || !this.database.pool || this.closed) return Promise.resolve();
    this.listening ??= this.listen().catch((err) => {
      this.listening = undefined;
      this.retryLater(err);
      throw err;
    });
    return this.listening;
  }

  private async listen(): Promise<void> {
    const client = await this.database.pool!.connect();
    const lost = (err?: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.listening = undefined;
      client.release(err ?? true); // a broken connection goes, it is not pooled again
      this.retryLater(err);
    };
    client.on('notification', (n) => {
      if (n.channel !== NOTIFY_CHANNEL || !n.payload) return;
      try {
        this.deliver(JSON.parse(n.payload) as HubMessage);
      } catch {
        /* a malformed payload is dropped: pushes are hints, the browser refetches anyway */
      }
    });
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    this.listener = client;
  }

  private retryLater(err?: unknown): void {
    if (this.closed || this.retrying) return;
    console.error(
      `[sse] LISTEN connection lost or refused (${(err as Error)?.message ?? 'ended'}); retrying in 1 s`,
    );
    this.retrying = setTimeout(() => {
      this.retrying = undefined;
      this.start().catch(() => {});
    }, 1000);
    this.retrying.unref();
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
      // even without a LISTEN connection (being replaced), the event goes out to the other processes
      await this.start().catch(() => {});
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
    if (this.retrying) clearTimeout(this.retrying);
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
