import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiFetch } from '../../lib/api.ts';
import type {
  Calendar,
  CareAlert,
  Contact,
  Coverage,
  Duty,
  Load,
  Policy,
  Referral,
  Referrals,
} from './types.ts';

// everything the care pages read sits under ['care']: a write refetches them all
export const careKey = ['care'] as const;
export const loadKey = (orgId: number) => ['care', 'load', orgId] as const;
export const alertsKey = (status: string) => ['care', 'alerts', status] as const;
export const policyKey = ['care', 'policy'] as const;
export const referralsKey = ['care', 'referrals'] as const;
const dutiesOf = (elderId: number) => ['care', 'duties', 'elder', elderId] as const;

type Replanned = { upserted: number; closed: number };
type Count = { count: number };

/** Carers under an org with their load; also the list to pick a carer from. */
export function useLoad(orgId: number | undefined) {
  return useQuery({
    queryKey: loadKey(orgId ?? 0),
    queryFn: () => api.get<Load>('/pairings/load', { orgId }),
    enabled: orgId != null,
  });
}

/** Silence alerts; the open ones are refreshed every 15 s so the coordinator sees them at once. */
export function useAlerts(status: 'open' | 'all', enabled = true) {
  return useQuery({
    queryKey: alertsKey(status),
    queryFn: () => api.get<{ items: CareAlert[] }>('/care/alerts', { status }),
    refetchInterval: status === 'open' ? 15_000 : undefined,
    enabled,
  });
}

export const ackAlert = (id: number) => api.post(`/care/alerts/${id}/ack`);

export function useCalendar(orgId: number, days: number) {
  return useQuery({
    queryKey: ['care', 'calendar', orgId, days],
    queryFn: () => api.get<Calendar>('/care/calendar', { orgId, days }),
  });
}

export function useCoverage(orgId: number, period: number) {
  return useQuery({
    queryKey: ['care', 'coverage', orgId, period],
    queryFn: () => api.get<Coverage>('/coverage', { orgId, period }),
  });
}

export function useDuties(f: { orgId: number; overdue: boolean; assigneeId: number | undefined }) {
  return useQuery({
    queryKey: ['care', 'duties', f.orgId, f.overdue, f.assigneeId],
    queryFn: () =>
      api.get<{ items: Duty[] }>('/duties', {
        orgId: f.orgId,
        overdue: f.overdue ? 'true' : undefined,
        assigneeId: f.assigneeId,
        limit: 500,
      }),
    placeholderData: keepPreviousData,
  });
}

/** One elder's duties (the elder page's care panel). */
export function useElderDuties(elderId: number) {
  return useQuery({
    queryKey: dutiesOf(elderId),
    queryFn: () => api.get<{ items: Duty[] }>('/duties', { elderId, limit: 100 }),
  });
}

export const pauseDuties = (body: { elderId: number; reason?: string; until?: string; note?: string }) =>
  api.post<Count>('/duties/pause', body);
export const resumeDuties = (elderId: number) => api.post<Count>('/duties/resume', { elderId });
export const setDutyDeadline = (elderId: number, time: string) =>
  api.post<Count>('/duties/deadline', { elderId, time });

/** Elders by name for the ledger's elder filter (only once something is typed). */
export function useElderSearch(q: string) {
  return useQuery({
    queryKey: ['care', 'elder-search', q],
    queryFn: () =>
      api.get<{ items: { id: number; name: string; age: number }[] }>('/elders', { q, limit: 20 }),
    enabled: q.length > 0,
  });
}

export interface LedgerQuery {
  orgId: number;
  carerId?: number;
  elderId?: number;
  month?: string;
}

export function useContactLedger(query: LedgerQuery, limit: number, offset: number) {
  return useQuery({
    queryKey: ['care', 'ledger', query, offset],
    queryFn: () => api.get<{ items: Contact[] }>('/contacts', { ...query, limit, offset }),
    placeholderData: keepPreviousData,
  });
}

export const pairElders = (body: { carerId: number; elderIds?: number[]; orgId?: number }) =>
  api.post<{ paired: number }>('/pairings', body);
export const reassignCarer = (body: { fromCarerId: number; toCarerId: number }) =>
  api.post<{ paired: number }>('/pairings/reassign', body);
export const carerLeaves = (body: Record<string, unknown>) => api.post<Count>('/pairings/leave', body);

export function usePolicy() {
  return useQuery({ queryKey: policyKey, queryFn: () => api.get<Policy>('/care/policy') });
}

export const setTemplateActive = (id: number, active: boolean) =>
  api.patch<Replanned>(`/care/templates/${id}`, { active });
export const setRuleActive = (id: number, active: boolean) =>
  api.patch<Replanned>(`/care/rules/${id}`, { active });
export const setHoliday = (body: { holiday: string; year: number; date: string }) =>
  apiFetch<Replanned>('PUT', '/care/holidays', { body });
export const replanAll = () => api.post<Replanned>('/care/replan');

/** The needs raised on visits, a page at a time, refreshed every 30 s. */
export function useReferrals(f: { status: string; elderId?: number; limit: number; offset: number }) {
  return useQuery({
    queryKey: [...referralsKey, { elderId: f.elderId, filter: f.status, offset: f.offset }],
    queryFn: () => api.get<Referrals>('/care/referrals', f),
    refetchInterval: 30_000,
  });
}

/** Who may be handed a referral (for 转派). */
export function useReferralHandlers(id: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['care', 'referral-handlers', id],
    queryFn: () =>
      api.get<{ items: { id: number; name: string; role: string }[] }>(`/care/referrals/${id}/handlers`),
    enabled,
  });
}

export const acceptReferral = (r: Referral) =>
  api.post(`/care/referrals/${r.id}/accept`, { expectedStatus: r.status });
export const actOnReferral = (r: Referral, action: string, body: Record<string, unknown>) =>
  api.post<{ referral: Referral }>(`/care/referrals/${r.id}/${action}`, {
    expectedStatus: r.status,
    ...body,
  });
