import type { EventContext } from '../../platform/events.ts';
import type { SweepJob } from '../../platform/sweeper.ts';
import type { PlanChangedEvent } from '../care/care.service.ts';
import { refreshCoverageRollup, refreshCoverageRollupIn } from './coverage.service.ts';

/** The reports sweeps for the platform sweeper (registered in wiring.ts). */
export const reportsSweepJobs: SweepJob[] = [
  {
    // the coverage rollup (decision 0006), every COVERAGE_REFRESH_MINUTES; a process finding it fresh or
    // being refreshed by another process does nothing
    name: 'reports.coverage',
    run: async (deps, now) => {
      await refreshCoverageRollup(deps, now, { when: 'stale' });
      return 0;
    },
  },
];

/**
 * Care re-planned by policy (`care.plan_changed`, subscribed in wiring.ts): the rollup is recomputed
 * as of the hand-off, in its transaction, so the new figures and the events marked done commit
 * together; a failed refresh leaves the events pending and is retried with them (decision 0016).
 * However many events the batch holds (several processes re-planning the same day), one refresh.
 */
export async function planChangedToCoverage(_events: PlanChangedEvent[], ctx: EventContext): Promise<void> {
  await refreshCoverageRollupIn(ctx.tx, ctx.now, { when: 'always' });
}
