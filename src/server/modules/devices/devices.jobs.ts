import type { SweepJob } from '../../platform/sweeper.ts';
import { sweepSilentDevices } from './devices.service.ts';

// The devices module's background work, wired in src/server/wiring.ts.

/** A device silent for longer than its heartbeat period raises device_silent (once per silence). */
export const devicesSweepJobs: SweepJob[] = [{ name: 'devices.silence', run: sweepSilentDevices }];
