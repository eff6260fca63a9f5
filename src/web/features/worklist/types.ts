import type { z } from 'zod';
import type { worklistItem, worklistResponse } from '../../../shared/care.ts';

export type WorklistItem = z.infer<typeof worklistItem>;
export type Worklist = z.infer<typeof worklistResponse>;
export type Channel = 'phone' | 'wechat' | 'video' | 'home_visit';

/** The channel a duty is normally done by: a home-visit duty by a visit, anything else by phone. */
export function defaultChannel(item: WorklistItem): Channel {
  return item.channel === 'home_visit' ? 'home_visit' : 'phone';
}
