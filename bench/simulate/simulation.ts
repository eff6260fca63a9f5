import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { insertSession } from '../../src/server/modules/accounts/accounts.repo.ts';
import { type Scale, seed } from '../../src/server/modules/demo/demo.generator.ts';
import { Rng } from '../../src/server/modules/demo/random.ts';
import { signDeviceEvent } from '../../src/server/modules/devices/device-signature.ts';
import { setConsoleSink } from '../../src/server/modules/notifications/channels.ts';
import { shanghaiDate, TestClock } from '../../src/server/platform/clock.ts';
import { loadConfig } from '../../src/server/platform/config.ts';
import { type Database, rows } from '../../src/server/platform/db.ts';
import { sweepOnce } from '../../src/server/platform/sweeper.ts';

/**
 * A district month on a controlled clock, through the real app and database (issue 11.11): carers
 * fetch their worklists and record contacts (missing some, some at night, some twice, some offline and
 * sent hours late with their idempotency key), daily elders fall silent on chosen days or press 我很好,
 * SOS arrive from devices and the 长辈版 page, relatives answer the SMS link with 收到 or 我去看看 or not
 * at all, a dispatcher takes responsibility for what reaches the console, the sweeper runs every ten
 * simulated minutes (every minute while a ladder runs), and the server is rebuilt mid-ladder. Then the
 * promise is checked against the ledgers: who took responsibility within the ladder, which special
 * elders were visited, whether every daily elder had a check-in duty every day, and whether the
 * coverage figures equal a count of the contact ledger.
 *
 * Everything a person does goes through HTTP (app.inject). Two shortcuts, both outside the promise
 * being measured: sessions are written straight into the sessions table (a month of daily sign-ins
 * would be ~90,000 password hashes; sign-in has its own tests), and the report reads the tables.
 */
export interface SimulationOptions {
  database: Database;
  scale: Scale;
  days: number;
  /** (daily elder, day) pairs on which nobody reaches the elder and the elder does not check in */
  silentDays: number;
  sos: number;
  restarts: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface IncidentOutcome {
  id: number;
  kind: string;
  elderId: number;
  triggeredAt: string;
  /** when a person took responsibility (null: nobody did) */
  responsibleAt: string | null;
  by: string | null;
  minutes: number | null;
  slaMinutes: number;
}

export interface SimulationReport {
  scale: Scale;
  days: number;
  from: string;
  to: string;
  elders: number;
  carers: number;
  requests: number;
  seconds: number;
  contacts: { sent: number; replays: number; missed: number; night: number; twice: number; late: number };
  selfCheckIns: number;
  silentPlanned: number;
  sos: { device: number; page: number };
  relativeReplies: { received: number; going: number; none: number };
  restarts: string[];
  incidents: {
    total: number;
    byKind: Record<string, number>;
    withinSla: number;
    late: IncidentOutcome[];
    neverResponsible: IncidentOutcome[];
  };
  /** (daily elder, day) with neither a reached contact nor a check-in nor a silence alert */
  dailyUncovered: { elderId: number; day: string }[];
  /** (daily elder, day) on which the elder had no check-in duty open at noon and was not reached before */
  dailyWithoutDuty: { elderId: number; day: string }[];
  special: {
    total: number;
    visited: number;
    /** not visited although every duty shown for them was done */
    unexplained: { elderId: number; name: string }[];
    carerMissed: number;
    notReached: number;
    noDutyDue: number;
  };
  coverage: { api: number; ledger: number; total: number; rollup: number | null; equal: boolean };
  errors: string[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The first 06:00 in Shanghai at or after `now`. */
function nextShanghaiMorning(now: Date): Date {
  const morning = new Date(shanghaiMidnight(now).getTime() + 6 * HOUR);
  return morning.getTime() >= now.getTime() ? morning : new Date(morning.getTime() + DAY);
}

/** Shanghai midnight (as an instant) of the day `at` falls in, plus `days`. */
function shanghaiMidnight(at: Date, days = 0): Date {
  const d = shanghaiDate(at);
  return new Date(new Date(`${d}T00:00:00+08:00`).getTime() + days * DAY);
}
const hhmmAt = (midnight: Date, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(midnight.getTime() + h * HOUR + m * MIN);
};

interface Actor {
  id: number;
  cookie: string;
  csrf: string;
}

type Job = { at: number; seq: number; run: () => Promise<void> };

export async function runSimulation(opts: SimulationOptions): Promise<SimulationReport> {
  const log = opts.log ?? (() => {});
  const rng = new Rng(opts.seed ?? 20261205);
  const t0 = performance.now();
  const { database } = opts;
  const db = database.db;
  const errors: string[] = [];
  const err = (what: string, res?: LightMyRequestResponse) => {
    const line = res ? `${what}: ${res.statusCode} ${res.body.slice(0, 200)}` : what;
    if (errors.length < 200) errors.push(line);
  };

  log(`seeding the ${opts.scale} deployment…`);
  await seed(db, opts.scale);
  log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // The month starts at the next 06:00 in Shanghai, whatever the hour the command is run: started at
  // 22:00 the first day's check-ins and 20:00 silence check were already over before anyone worked,
  // so the report (and its API test) depended on the time of day.
  const clock = new TestClock(nextShanghaiMorning(new Date()));
  const config = loadConfig({
    NODE_ENV: 'development',
    LOGIN_RATE_LIMIT: '1000000',
    DATA_DIR: '',
  } as NodeJS.ProcessEnv);
  let app: FastifyInstance = await buildApp({ database, config, clock });
  let requests = 0;
  const inject = async (o: InjectOptions) => {
    requests++;
    return app.inject(o);
  };

  // ---- the people ------------------------------------------------------------------------------
  const start = clock.now();
  const end = new Date(start.getTime() + opts.days * DAY);
  const sessionEnd = new Date(end.getTime() + DAY);
  const actorOf = async (userId: number): Promise<Actor> => {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    await insertSession(db, {
      tokenHash: sha256(token),
      userId,
      csrfToken: csrf,
      ip: '127.0.0.1',
      userAgent: 'simulation',
      createdAt: start,
      expiresAt: sessionEnd,
    });
    return { id: userId, cookie: `cc_session=${token}`, csrf };
  };
  const as = (a: Actor, o: InjectOptions) =>
    inject({ ...o, headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, ...(o.headers ?? {}) } });

  const [district] = await rows<{ id: number; path: string }>(
    db,
    sql`SELECT id, path FROM orgs WHERE kind = 'district' ORDER BY id LIMIT 1`,
  );
  const admin = await actorOf(
    (await rows<{ id: number }>(db, sql`SELECT id FROM users WHERE username = 'admin'`))[0].id,
  );
  const dispatcher = await actorOf(
    (await rows<{ id: number }>(db, sql`SELECT id FROM users WHERE username = 'dispatcher'`))[0].id,
  );
  const carerIds = (
    await rows<{ id: number }>(
      db,
      sql`SELECT DISTINCT assignee_id AS id FROM duties WHERE active AND assignee_id IS NOT NULL ORDER BY 1`,
    )
  ).map((r) => r.id);
  const carers: (Actor & { miss: number })[] = [];
  for (const id of carerIds) carers.push({ ...(await actorOf(id)), miss: 0.05 + rng.next() * 0.15 });
  const [{ n: elderCount }] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM elders WHERE status NOT IN ('deceased', 'moved_away')`,
  );
  log(
    `${elderCount} elders, ${carers.length} carers with duties; ${opts.days} days from ${start.toISOString()}`,
  );

  // ---- the ladders: a ladder's SLA is the time until its last step has fired and waited ---------
  const ladders = (await as(admin, { method: 'GET', url: '/api/ladders' })).json().items as {
    kind: string;
    steps: { whom: string; waitSeconds: number; repeats: number }[];
  }[];
  const slaMinutes = new Map(
    ladders.map((l) => [l.kind, l.steps.reduce((s, st) => s + st.waitSeconds * (1 + st.repeats), 0) / 60]),
  );

  // ---- daily elders, their silent days and their self check-ins ---------------------------------
  const daily = await rows<{ elder_id: number }>(
    db,
    sql`SELECT DISTINCT elder_id FROM duties
        WHERE active AND silence_check_at IS NOT NULL AND org_path LIKE ${`${district.path}%`} ORDER BY 1`,
  );
  const dailyIds = daily.map((d) => d.elder_id);
  const dayKeys = Array.from({ length: opts.days }, (_, i) =>
    shanghaiDate(new Date(start.getTime() + i * DAY)),
  );
  const silent = new Set<string>();
  const silentTarget = Math.min(opts.silentDays, Math.floor((dailyIds.length * dayKeys.length) / 2));
  while (silent.size < silentTarget) silent.add(`${rng.pick(dailyIds)}|${rng.pick(dayKeys)}`);
  const pageLinks = new Map<number, string>();
  const linkFor = async (elderId: number) => {
    let token = pageLinks.get(elderId);
    if (!token) {
      const res = await as(admin, { method: 'POST', url: `/api/elders/${elderId}/page-link` });
      if (res.statusCode !== 201) {
        err(`page link for elder ${elderId}`, res);
        return undefined;
      }
      token = res.json().token as string;
      pageLinks.set(elderId, token);
    }
    return token;
  };
  const selfCheckers = dailyIds.filter(() => rng.chance(0.2));
  for (const id of selfCheckers) await linkFor(id);

  // ---- SOS: half from one-key phones, half from the 长辈版 page ----------------------------------
  const sosElders = await rows<{ id: number }>(
    db,
    sql`SELECT id FROM elders WHERE status NOT IN ('deceased', 'moved_away') AND org_path LIKE ${`${district.path}%`}
        ORDER BY id`,
  );
  // the deployment's own one-key phones keep beating too (each holds its secret, as a vendor's phone does)
  const devices = new Map<number, { id: string; secret: string; period: number }>();
  for (const d of await rows<{
    id: string;
    elder_id: number;
    secret: string;
    heartbeat_period_seconds: number;
  }>(db, sql`SELECT id, elder_id, secret, heartbeat_period_seconds FROM devices WHERE active`))
    devices.set(d.elder_id, { id: d.id, secret: d.secret, period: d.heartbeat_period_seconds });
  const sosPlan: { at: number; elderId: number; via: 'device' | 'page' }[] = [];
  for (let i = 0; i < opts.sos; i++) {
    const at = start.getTime() + HOUR + Math.floor(rng.next() * (end.getTime() - start.getTime() - 4 * HOUR));
    sosPlan.push({ at, elderId: rng.pick(sosElders).id, via: i % 2 === 0 ? 'device' : 'page' });
  }
  for (const s of sosPlan) {
    if (s.via === 'page') await linkFor(s.elderId);
    else if (!devices.has(s.elderId)) {
      const res = await as(admin, {
        method: 'POST',
        url: '/api/devices',
        payload: { elderId: s.elderId, kind: 'one_key_phone', heartbeatPeriodSeconds: 7 * 86_400 },
      });
      if (res.statusCode !== 201 && res.statusCode !== 200) err('device registration', res);
      else
        devices.set(s.elderId, { id: res.json().device.id, secret: res.json().secret, period: 7 * 86_400 });
    }
  }
  // as a real device (device-client.ts): the event is fixed once; a busy or restarting server (429, 5xx)
  // gets the SAME eventId again with doubling waits, for up to 15 minutes of the simulated clock
  const deviceEvent = async (elderId: number, kind: 'sos' | 'heartbeat') => {
    const d = devices.get(elderId);
    if (!d) return;
    const now = clock.now();
    const body = JSON.stringify({ eventId: randomBytes(12).toString('hex'), kind, at: now.toISOString() });
    const send = async (attempt: number): Promise<void> => {
      const ts = String(Math.floor(clock.now().getTime() / 1000));
      const res = await inject({
        method: 'POST',
        url: `/api/devices/${encodeURIComponent(d.id)}/events`,
        headers: {
          'content-type': 'application/json',
          'x-device-timestamp': ts,
          'x-device-signature': signDeviceEvent(d.secret, ts, body),
        },
        payload: body,
      });
      const wait = Math.min(2 ** attempt, 60) * 1000;
      if (
        (res.statusCode === 429 || res.statusCode >= 500) &&
        clock.now().getTime() + wait - now.getTime() <= 15 * 60_000
      ) {
        at(clock.now().getTime() + wait, () => send(attempt + 1));
      } else if (res.statusCode >= 300) err(`device ${kind}`, res);
    };
    await send(0);
  };

  // ---- the event queue -------------------------------------------------------------------------
  const queue: Job[] = [];
  let seq = 0;
  const at = (when: Date | number, run: () => Promise<void>) => {
    const t = typeof when === 'number' ? when : when.getTime();
    if (t < end.getTime()) queue.push({ at: Math.max(t, clock.now().getTime()), seq: seq++, run });
  };

  // relatives read their SMS/voice: the link in the message is all they have
  const replies = { received: 0, going: 0, none: 0 };
  let relativeIp = 0;
  setConsoleSink((line) => {
    const code = /\/ack\/([A-Za-z0-9_-]+)/.exec(line)?.[1];
    if (!code) return;
    const r = rng.next();
    if (r < 0.3) {
      replies.none++;
      return;
    }
    const reply = r < 0.65 ? 'received' : 'going';
    replies[reply]++;
    const ip = `10.${(relativeIp >> 16) & 255}.${(relativeIp >> 8) & 255}.${relativeIp++ & 255}`;
    at(clock.now().getTime() + rng.int(1, 6) * MIN, async () => {
      const res = await inject({
        method: 'POST',
        url: `/api/ack/${code}`,
        remoteAddress: ip,
        payload: { reply },
      });
      // a link of an incident someone else already closed is refused: that is the product working
      if (res.statusCode >= 300 && res.statusCode !== 409 && res.statusCode !== 410 && res.statusCode !== 404)
        err(`ack ${reply}`, res);
    });
  });

  const contactStats = { sent: 0, replays: 0, missed: 0, night: 0, twice: 0, late: 0 };
  const shown = new Map<number, { skipped: number; done: number; notReached: number }>();
  const sendContact = async (
    carer: Actor,
    item: { id: number; elderId: number; channel: string },
    contactedAt: Date,
    outcome: string,
    key: string,
  ) => {
    const res = await as(carer, {
      method: 'POST',
      url: '/api/contacts',
      headers: { 'idempotency-key': key },
      payload: {
        elderId: item.elderId,
        dutyId: item.id,
        contactedAt: contactedAt.toISOString(),
        channel: item.channel === 'home_visit' ? 'home_visit' : 'phone',
        outcome,
        // 有异常 says what the concern is, as the contact form requires
        ...(outcome === 'reached_concern' ? { concern: '身体不适' } : {}),
      },
    });
    if (res.statusCode !== 200) return err('contact', res);
    if (res.json().replayed) contactStats.replays++;
    else contactStats.sent++;
    const s = shown.get(item.elderId);
    if (s && outcome.startsWith('reached')) s.done++;
    else if (s) s.notReached++;
  };

  const planDay = async (midnight: Date) => {
    const day = shanghaiDate(midnight);
    const endOfDay = midnight.getTime() + DAY;
    // A day whose working hours begin after the stretch ends (the last few hours past midnight) is not
    // worked: its worklist would be shown with no time left to do it, and the report would count those
    // elders as shown and not visited.
    const carersWork = midnight.getTime() + 8 * HOUR < end.getTime();
    for (const carer of carersWork ? carers : []) {
      const res = await as(carer, { method: 'GET', url: '/api/worklist' });
      if (res.statusCode !== 200) {
        err('worklist', res);
        continue;
      }
      const w = res.json() as Record<
        'overdue' | 'today',
        { id: number; elderId: number; channel: string; dueAt: string | null; deadlineTime: string | null }[]
      >;
      for (const item of [...w.overdue, ...w.today]) {
        if (item.dueAt && new Date(item.dueAt).getTime() > endOfDay) continue;
        const s = shown.get(item.elderId) ?? { skipped: 0, done: 0, notReached: 0 };
        shown.set(item.elderId, s);
        if (silent.has(`${item.elderId}|${day}`) || rng.chance(carer.miss)) {
          contactStats.missed++;
          s.skipped++;
          continue;
        }
        const last = item.deadlineTime
          ? hhmmAt(midnight, item.deadlineTime).getTime() - 30 * MIN
          : midnight.getTime() + 18 * HOUR;
        const first = midnight.getTime() + 8 * HOUR;
        // (today's first plan starts now, not at 08:00 behind the clock)
        const from = Math.max(first, clock.now().getTime() + MIN);
        const when = from + Math.floor(rng.next() * Math.max(MIN, last - from));
        const r = rng.next();
        const outcome = r < 0.92 ? 'reached_ok' : r < 0.95 ? 'reached_concern' : 'not_reached_no_answer';
        const key = `sim-${item.id}-${day}-${seq}`;
        if (rng.chance(0.05)) {
          // offline: done at `when`, sent hours later, and sent again when the phone is unsure
          contactStats.late++;
          const sendAt = when + rng.int(60, 8 * 60) * MIN;
          at(sendAt, () => sendContact(carer, item, new Date(when), outcome, key));
          at(sendAt + 2 * MIN, () => sendContact(carer, item, new Date(when), outcome, key));
        } else {
          at(when, () => sendContact(carer, item, new Date(when), outcome, key));
        }
        if (rng.chance(0.03)) {
          contactStats.twice++;
          const again = when + rng.int(10, 90) * MIN;
          at(again, () => sendContact(carer, item, new Date(again), 'reached_ok', `${key}-again`));
        }
        if (rng.chance(0.04)) {
          // the evening call of a carer who works late: 23:50–23:59, before tomorrow's window opens
          contactStats.night++;
          const night = endOfDay - rng.int(1, 10) * MIN;
          at(night, () => sendContact(carer, item, new Date(night), 'reached_ok', `${key}-night`));
        }
      }
    }
    // 我很好 on the 长辈版 page, early, on four days in ten
    for (const elderId of selfCheckers) {
      if (silent.has(`${elderId}|${day}`) || !rng.chance(0.4)) continue;
      if (midnight.getTime() + 9 * HOUR < clock.now().getTime()) continue;
      const token = pageLinks.get(elderId);
      if (!token) continue;
      at(midnight.getTime() + 7 * HOUR + rng.int(0, 150) * MIN, async () => {
        const res = await inject({ method: 'POST', url: `/api/elder-page/${token}/ok` });
        if (res.statusCode !== 200) err('我很好', res);
        else selfCheckIns++;
      });
    }
    // the one-key phones' heartbeats: at least twice per period, at least once a day
    for (const [elderId, d] of devices) {
      const every = Math.min(DAY, (d.period * 1000) / 2);
      for (let t = midnight.getTime() + rng.int(0, 30) * MIN; t < endOfDay; t += every)
        at(t, () => deviceEvent(elderId, 'heartbeat'));
    }
    // noon: every daily elder not yet reached today has a check-in duty that is due today
    at(midnight.getTime() + 12 * HOUR, async () => {
      const noon = clock.now();
      const missing = await rows<{ elder_id: number }>(
        db,
        sql`SELECT d.elder_id FROM duties d
            WHERE d.active AND d.silence_check_at IS NOT NULL AND d.org_path LIKE ${`${district.path}%`}
              AND (d.paused_until IS NULL OR d.paused_until <= ${noon.toISOString()}::timestamptz)
              AND (d.next_due_at IS NULL OR d.next_due_at > ${new Date(endOfDay).toISOString()}::timestamptz)
              AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.elder_id = d.elder_id
                AND c.outcome IN ('reached_ok', 'reached_concern')
                AND c.contacted_at >= ${midnight.toISOString()}::timestamptz)
              AND NOT EXISTS (SELECT 1 FROM elder_checkins k WHERE k.elder_id = d.elder_id AND k.on_date = ${day})`,
      );
      for (const m of missing) dailyWithoutDuty.push({ elderId: m.elder_id, day });
    });
  };
  let selfCheckIns = 0;
  const dailyWithoutDuty: { elderId: number; day: string }[] = [];

  for (const s of sosPlan) {
    at(s.at, async () => {
      if (s.via === 'device') return deviceEvent(s.elderId, 'sos');
      const token = pageLinks.get(s.elderId);
      const res = await inject({
        method: 'POST',
        url: `/api/elder-page/${token}/sos`,
        payload: { confirm: true, requestId: randomBytes(12).toString('hex') },
      });
      if (res.statusCode !== 200) err('长辈版 SOS', res);
    });
  }

  // ---- the dispatcher at the console -----------------------------------------------------------
  const seen = new Map<number, { ackAt: number; resolveAfter: number }>();
  let liveLadders = 0;
  const dispatcherPoll = async () => {
    const now = clock.now().getTime();
    liveLadders = 0;
    for (let offset = 0; ; offset += 200) {
      const res = await as(dispatcher, {
        method: 'GET',
        url: `/api/incidents?state=active&limit=200&offset=${offset}`,
      });
      if (res.statusCode !== 200) {
        err('incident queue', res);
        return;
      }
      const page = res.json() as {
        items: { id: number; state: string; acknowledgedAt: string | null; triggeredAt: string }[];
        total: number;
      };
      for (const inc of page.items) {
        let plan = seen.get(inc.id);
        if (!plan) {
          // mostly within minutes; one in ten waits while the dispatcher is on another call
          const wait = rng.chance(0.9) ? rng.int(1, 8) : rng.int(10, 40);
          plan = { ackAt: now + wait * MIN, resolveAfter: rng.int(15, 90) * MIN };
          seen.set(inc.id, plan);
        }
        if (!inc.acknowledgedAt) {
          liveLadders++;
          if (now >= plan.ackAt) {
            const r = await as(dispatcher, { method: 'POST', url: `/api/incidents/${inc.id}/acknowledge` });
            if (r.statusCode !== 200) err('acknowledge', r);
          }
        } else if (now >= new Date(inc.acknowledgedAt).getTime() + plan.resolveAfter) {
          const r = await as(dispatcher, {
            method: 'POST',
            url: `/api/incidents/${inc.id}/transition`,
            payload: { to: 'resolved', outcome: rng.chance(0.15) ? 'false_alarm' : 'handled_at_home' },
          });
          if (r.statusCode !== 200) err('resolve', r);
        }
      }
      if (offset + 200 >= page.total) break;
    }
  };

  // ---- restarts, mid-ladder --------------------------------------------------------------------
  const restartTimes = Array.from(
    { length: opts.restarts },
    (_, i) => start.getTime() + ((i + 1) / (opts.restarts + 1)) * (end.getTime() - start.getTime()),
  );
  const restarts: string[] = [];
  const restart = async () => {
    await app.close();
    app = await buildApp({ database, config, clock });
    restarts.push(clock.now().toISOString());
    log(`restarted the server at ${clock.now().toISOString()} with ${liveLadders} ladders running`);
  };

  // ---- the loop --------------------------------------------------------------------------------
  const [{ max: incidentsBefore }] = await rows<{ max: number }>(
    db,
    sql`SELECT coalesce(max(id), 0)::int8 AS max FROM incidents`,
  );
  let nextDay = shanghaiMidnight(start, 0).getTime() + 5 * MIN;
  if (nextDay < start.getTime()) nextDay += DAY;
  // today's work too, planned from now
  await planDay(shanghaiMidnight(start));
  let nextSweep = start.getTime();
  let lastReport = performance.now();
  while (true) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const nextJob = queue[0]?.at ?? Number.POSITIVE_INFINITY;
    const nextRestart = restartTimes[0] ?? Number.POSITIVE_INFINITY;
    const t = Math.min(nextJob, nextSweep, nextDay, nextRestart);
    if (t >= end.getTime()) break;
    clock.set(new Date(t));
    if (t === nextRestart) {
      restartTimes.shift();
      if (liveLadders === 0) {
        // wait for a ladder to be running: the point is a restart mid-ladder
        restartTimes.unshift(t + 10 * MIN);
        continue;
      }
      await restart();
    } else if (t === nextDay) {
      nextDay += DAY;
      await planDay(shanghaiMidnight(new Date(t)));
    } else if (t === nextSweep) {
      await sweepOnce(app.deps, clock.now(), {
        onError: (job, e) => err(`sweep ${job}: ${(e as Error).message}`),
      });
      await dispatcherPoll();
      nextSweep = t + (liveLadders > 0 ? MIN : 10 * MIN);
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        log(
          `  ${clock.now().toISOString()} · ${requests} requests · ${queue.length} queued · ${liveLadders} ladders`,
        );
      }
    } else {
      // everything due in this minute, a few at a time (as phones would send them)
      const batch: Job[] = [];
      while (queue.length && queue[0].at <= t + MIN && batch.length < 16) batch.push(queue.shift()!);
      await Promise.all(batch.map((j) => j.run()));
    }
  }
  clock.set(end);
  await sweepOnce(app.deps, end, { onError: (job, e) => err(`sweep ${job}: ${(e as Error).message}`) });

  // ---- the report ------------------------------------------------------------------------------
  const incidentRows = await rows<{
    id: number;
    kind: string;
    elder_id: number;
    triggered_at: Date | string;
    acknowledged_at: Date | string | null;
    by: string | null;
  }>(
    db,
    sql`SELECT i.id, i.kind, i.elder_id, i.triggered_at, i.acknowledged_at,
          (SELECT e.actor_label FROM incident_events e WHERE e.incident_id = i.id
             AND e.type IN ('acknowledged', 'dispatched') ORDER BY e.at, e.id LIMIT 1) AS by
        FROM incidents i WHERE i.id > ${incidentsBefore} ORDER BY i.id`,
  );
  const outcomes: IncidentOutcome[] = incidentRows.map((r) => {
    const trig = new Date(r.triggered_at);
    const ack = r.acknowledged_at ? new Date(r.acknowledged_at) : null;
    return {
      id: r.id,
      kind: r.kind,
      elderId: r.elder_id,
      triggeredAt: trig.toISOString(),
      responsibleAt: ack?.toISOString() ?? null,
      by: r.by,
      minutes: ack ? Math.round(((ack.getTime() - trig.getTime()) / MIN) * 10) / 10 : null,
      slaMinutes: slaMinutes.get(r.kind) ?? 0,
    };
  });
  const byKind: Record<string, number> = {};
  for (const o of outcomes) byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
  const late = outcomes.filter((o) => o.minutes !== null && o.minutes > o.slaMinutes);
  // an incident raised in the last SLA before the end may still be inside its ladder
  const neverResponsible = outcomes.filter(
    (o) => o.minutes === null && new Date(o.triggeredAt).getTime() + o.slaMinutes * MIN < end.getTime(),
  );

  // every (daily elder, day) of the month: reached, checked in, or alerted
  const dailyUncovered = await rows<{ elder_id: number; day: string }>(
    db,
    sql`WITH days AS (
          SELECT to_char(d, 'YYYY-MM-DD') AS day FROM generate_series(
            ${dayKeys[1] ?? dayKeys[0]}::date, ${dayKeys[dayKeys.length - 1]}::date - 1, '1 day') d),
        watched AS (SELECT DISTINCT elder_id FROM duties WHERE active AND silence_check_at IS NOT NULL
          AND org_path LIKE ${`${district.path}%`})
        SELECT w.elder_id, days.day FROM watched w CROSS JOIN days
        WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.elder_id = w.elder_id
            AND c.outcome IN ('reached_ok', 'reached_concern')
            AND (c.contacted_at AT TIME ZONE 'Asia/Shanghai')::date = days.day::date)
          AND NOT EXISTS (SELECT 1 FROM elder_checkins k WHERE k.elder_id = w.elder_id AND k.on_date = days.day)
          AND NOT EXISTS (SELECT 1 FROM care_alerts a WHERE a.elder_id = w.elder_id AND a.day = days.day::date)
          AND NOT EXISTS (SELECT 1 FROM duties d WHERE d.elder_id = w.elder_id AND d.silence_check_at IS NOT NULL
            AND d.paused_until IS NOT NULL AND d.paused_until > (days.day || 'T00:00:00+08:00')::timestamptz)
        ORDER BY 1, 2 LIMIT 1000`,
  );

  // special-difficulty elders visited within 30 days, from the contact ledger
  const period = Math.min(30, opts.days);
  const since = new Date(end.getTime() - period * DAY);
  const special = await rows<{ id: number; name: string; visited: boolean }>(
    db,
    sql`SELECT e.id, e.name, EXISTS (SELECT 1 FROM contacts c WHERE c.elder_id = e.id
          AND c.contacted_at >= ${since.toISOString()}::timestamptz AND c.outcome IN ('reached_ok', 'reached_concern')) AS visited
        FROM elders e WHERE e.org_path LIKE ${`${district.path}%`}
          AND e.status NOT IN ('deceased', 'moved_away') AND e.difficulty_groups <> '{}'::text[]`,
  );
  const specialReport: SimulationReport['special'] = {
    total: special.length,
    visited: special.filter((s) => s.visited).length,
    unexplained: [],
    carerMissed: 0,
    notReached: 0,
    noDutyDue: 0,
  };
  for (const s of special.filter((x) => !x.visited)) {
    const h = shown.get(s.id);
    if (!h) specialReport.noDutyDue++;
    else if (h.skipped) specialReport.carerMissed++;
    else if (h.notReached && !h.done) specialReport.notReached++;
    else specialReport.unexplained.push({ elderId: s.id, name: s.name });
  }

  // the coverage screen against the ledger, live and from the rollup
  const cov = await as(admin, {
    method: 'GET',
    url: `/api/coverage?orgId=${district.id}&period=${period}&source=live`,
  });
  const apiVisited = cov.statusCode === 200 ? (cov.json().totals.specialVisited as number) : -1;
  if (cov.statusCode !== 200) err('coverage', cov);
  let rollup: number | null = null;
  if ([7, 30, 90].includes(period)) {
    const r = await as(admin, {
      method: 'GET',
      url: `/api/coverage?orgId=${district.id}&period=${period}&source=rollup`,
    });
    if (r.statusCode === 200) rollup = r.json().totals.specialVisited as number;
  }
  await app.close();
  setConsoleSink((line) => console.log(line));

  return {
    scale: opts.scale,
    days: opts.days,
    from: start.toISOString(),
    to: end.toISOString(),
    elders: elderCount,
    carers: carers.length,
    requests,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    contacts: contactStats,
    selfCheckIns,
    silentPlanned: silent.size,
    sos: {
      device: sosPlan.filter((s) => s.via === 'device').length,
      page: sosPlan.filter((s) => s.via === 'page').length,
    },
    relativeReplies: replies,
    restarts,
    incidents: {
      total: outcomes.length,
      byKind,
      withinSla: outcomes.filter((o) => o.minutes !== null && o.minutes <= o.slaMinutes).length,
      late,
      neverResponsible,
    },
    dailyUncovered: dailyUncovered.map((d) => ({ elderId: d.elder_id, day: d.day })),
    dailyWithoutDuty,
    special: specialReport,
    coverage: {
      api: apiVisited,
      ledger: specialReport.visited,
      total: specialReport.total,
      rollup,
      equal: apiVisited === specialReport.visited,
    },
    errors,
  };
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');

/** The report as a person reads it (Chinese first). */
export function formatReport(r: SimulationReport): string {
  const lines = [
    `关爱圈模拟运行 simulation — ${r.scale}, ${r.days} 天 (${r.from.slice(0, 10)} → ${r.to.slice(0, 10)})`,
    `  老人 ${r.elders} 名, 有任务的关爱人 ${r.carers} 名; ${r.requests} 次请求, 用时 ${r.seconds} s`,
    `  联系记录: 提交 ${r.contacts.sent} (重发被去重 ${r.contacts.replays}), 漏做 ${r.contacts.missed}, 深夜 ${r.contacts.night}, 同窗口两次 ${r.contacts.twice}, 离线迟交 ${r.contacts.late}`,
    `  长辈版“我很好” ${r.selfCheckIns} 次; 计划的无人联系日 ${r.silentPlanned}`,
    `  一键求助 ${r.sos.device} + 长辈版求助 ${r.sos.page}; 亲属回复: 收到 ${r.relativeReplies.received}, 我去看看 ${r.relativeReplies.going}, 未回复 ${r.relativeReplies.none}`,
    `  服务重启 ${r.restarts.length} 次: ${r.restarts.join(', ')}`,
    '',
    `1. 事件有人负责且在升级时限内 (goal 100 %): ${r.incidents.withinSla} / ${r.incidents.total} = ${pct(r.incidents.withinSla, r.incidents.total)}`,
    `   按类型 by kind: ${Object.entries(r.incidents.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `   超时 late: ${r.incidents.late.length}${r.incidents.late
      .slice(0, 20)
      .map(
        (o) =>
          `\n     #${o.id} ${o.kind} 老人 ${o.elderId}: ${o.minutes} 分钟 > ${o.slaMinutes} (${o.by ?? '—'})`,
      )
      .join('')}`,
    `   无人负责 never: ${r.incidents.neverResponsible.length}${r.incidents.neverResponsible
      .slice(0, 20)
      .map((o) => `\n     #${o.id} ${o.kind} 老人 ${o.elderId} ${o.triggeredAt}`)
      .join('')}`,
    `2. 特殊困难老人 ${Math.min(30, r.days)} 日内走访: ${r.special.visited} / ${r.special.total} = ${pct(r.special.visited, r.special.total)}`,
    `   未走访: 关爱人漏做 ${r.special.carerMissed}, 未联系上 ${r.special.notReached}, 期间无到期任务 ${r.special.noDutyDue}, 无法解释 ${r.special.unexplained.length}${r.special.unexplained
      .slice(0, 20)
      .map((s) => `\n     老人 ${s.elderId} ${s.name}`)
      .join('')}`,
    `3. 每日报平安老人: 某日中午无当日任务且未联系 ${r.dailyWithoutDuty.length} 例; 某日既无联系/报平安也无预警 ${r.dailyUncovered.length} 例${[
      ...r.dailyWithoutDuty,
      ...r.dailyUncovered,
    ]
      .slice(0, 20)
      .map((d) => `\n     老人 ${d.elderId} ${d.day}`)
      .join('')}`,
    `4. 覆盖率看板 = 联系台账: 看板 ${r.coverage.api}, 台账 ${r.coverage.ledger} (共 ${r.coverage.total}), 汇总表 ${r.coverage.rollup ?? '—'} → ${r.coverage.equal && (r.coverage.rollup === null || r.coverage.rollup === r.coverage.api) ? '一致 equal' : '不一致 NOT EQUAL'}`,
    `错误 errors: ${r.errors.length}${r.errors
      .slice(0, 20)
      .map((e) => `\n   ${e}`)
      .join('')}`,
  ];
  return lines.join('\n');
}
