import { z } from 'zod';

// The outbox's contract, shared by every module that messages people (decision 0017): the channels a
// message can go by. Incidents' ladders pick from these per step.
export const channels = ['in_app', 'sms', 'voice', 'webhook', 'console'] as const;
export const channelSchema = z.enum(channels);
export type Channel = z.infer<typeof channelSchema>;
