import type { FastifyInstance } from 'fastify';
import { careSweepJobs } from './modules/care/care.jobs.ts';
import {
  PLAN_CHANGED_TOPIC,
  type PlanChangedEvent,
  SILENCE_ALERT_TOPIC,
  type SilenceAlertEvent,
} from './modules/care/care.service.ts';
import { devicesSweepJobs } from './modules/devices/devices.jobs.ts';
import { incidentsSweepJobs, silenceAlertsToIncidents } from './modules/incidents/incidents.jobs.ts';
import { notificationsSweepJobs } from './modules/notifications/notifications.jobs.ts';
import { planChangedToCoverage, reportsSweepJobs } from './modules/reports/reports.jobs.ts';
import { eventsSweepJob, setEventFailureLog, subscribeEvents } from './platform/events.ts';
import { hubOf } from './platform/sse.ts';
import { registerSweepJob, type SweepJob } from './platform/sweeper.ts';

/**
 * Every background job, cross-module subscription and long-lived service of the app, listed by hand:
 * a reader finds all the work that happens outside a request here. Routes plugins only register routes.
 * The sweeper (platform/sweeper.ts) runs the jobs in the `jobs` role (main.ts; tests call `sweepOnce`);
 * each module that owns timers keeps them in its `<module>.jobs.ts`.
 */
export const sweepJobs: SweepJob[] = [
  ...careSweepJobs, // care.replan, care.silence, care.resume, care.leaves
  ...reportsSweepJobs, // reports.coverage
  ...incidentsSweepJobs, // incidents.ladders
  ...notificationsSweepJobs, // notifications.deliver
  ...devicesSweepJobs, // devices.silence
  eventsSweepJob, // platform.events: the durable hand-offs below (decision 0016)
];

export async function wire(app: FastifyInstance): Promise<void> {
  for (const job of sweepJobs) registerSweepJob(job);

  // cross-module events (platform/events.ts): topic → its one handler
  // care's silence alerts (no news by the deadline; at-risk elder not reached) become incidents
  subscribeEvents<SilenceAlertEvent>(SILENCE_ALERT_TOPIC, silenceAlertsToIncidents);
  // care re-planned by policy (the daily re-plan, a template, rule or holiday changed): the coverage
  // rollup follows
  subscribeEvents<PlanChangedEvent>(PLAN_CHANGED_TOPIC, planChangedToCoverage);
  setEventFailureLog((msg, err) => app.log.error({ err }, msg));

  // the push hub of the incident console (LISTEN on a PostgreSQL server; in-process on PGlite)
  const hub = hubOf(app.deps.database);
  await hub.start();
  app.addHook('onClose', async () => hub.close());
}
