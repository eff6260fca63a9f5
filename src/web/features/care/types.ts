import type { z } from 'zod';
import type {
  alertsResponse,
  calendarResponse,
  contactsResponse,
  coverageResponse,
  dutySchema,
  loadResponse,
  policyResponse,
  referralsResponse,
} from '../../../shared/care.ts';

export type Duty = z.infer<typeof dutySchema>;
export type Coverage = z.infer<typeof coverageResponse>;
export type Load = z.infer<typeof loadResponse>;
export type Contact = z.infer<typeof contactsResponse>['items'][number];
export type CareAlert = z.infer<typeof alertsResponse>['items'][number];
export type Referrals = z.infer<typeof referralsResponse>;
export type Referral = Referrals['items'][number];
export type Policy = z.infer<typeof policyResponse>;
export type Calendar = z.infer<typeof calendarResponse>;
