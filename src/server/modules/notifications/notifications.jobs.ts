import type { SweepJob } from '../../platform/sweeper.ts';
import { deliverDue } from './notifications.service.ts';

// The notifications module's background work, wired in src/server/wiring.ts.

/** The outbox: due deliveries and retries, handed to the gateways outside any transaction. */
export const notificationsSweepJobs: SweepJob[] = [
  { name: 'notifications.deliver', run: deliverDue, batch: 200 },
];
