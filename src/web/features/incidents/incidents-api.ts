import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  dispatchBody,
  followUpResponse,
  Incident,
  IncidentKind,
  IncidentState,
  incidentDetailResponse,
  incidentListResponse,
  incidentTimelineResponse,
  ladderBody,
  ladderResponse,
  transitionBody,
} from '../../../shared/incidents.ts';
import { api, apiFetch } from '../../lib/api.ts';

export type IncidentList = z.infer<typeof incidentListResponse>;
export type IncidentDetail = z.infer<typeof incidentDetailResponse>;
export type TimelineEntry = IncidentDetail['timeline'][number];

export const incidentsKey = ['incidents'] as const;
const queueKey = [...incidentsKey, 'queue'] as const;
const detailKey = (id: number) => [...incidentsKey, 'detail', id] as const;

/** The live queue: active incidents in scope; refetched on every push event rather than polled. */
export function useQueue() {
  return useQuery({
    queryKey: queueKey,
    queryFn: () => api.get<IncidentList>('/incidents', { state: 'active', limit: 200 }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useIncident(id: number | null) {
  return useQuery({
    queryKey: detailKey(id ?? 0),
    queryFn: () => api.get<IncidentDetail>(`/incidents/${id}`),
    enabled: id != null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** One of the elder's last contacts, as the incident card carries it (care module, newest first). */
export interface RecentContact {
  id: number;
  contactedAt: string;
  channel: string;
  outcome: string;
  carerName: string;
  note: string | null;
}

type Action =
  | { kind: 'acknowledge' }
  | { kind: 'transition'; body: z.input<typeof transitionBody> }
  | { kind: 'note'; text: string }
  | { kind: 'dispatch'; body: z.input<typeof dispatchBody> };

/** Every console action on one incident; the queue and the card refetch after it (and on the push). */
export function useIncidentAction(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: Action) => {
      const path = `/incidents/${id}`;
      switch (a.kind) {
        case 'acknowledge':
          return api.post<{ incident: Incident }>(`${path}/acknowledge`);
        case 'transition':
          return api.post<{ incident: Incident }>(`${path}/transition`, a.body);
        case 'note':
          return api.post<{ incident: Incident }>(`${path}/notes`, { text: a.text });
        case 'dispatch':
          return api.post<{ incident: Incident }>(`${path}/dispatch`, a.body);
      }
    },
    onSettled: () => qc.invalidateQueries({ queryKey: incidentsKey }),
  });
}

export type FollowUps = z.infer<typeof followUpResponse>;
export type IncidentStory = z.infer<typeof incidentTimelineResponse>;

export interface HistoryFilters {
  state?: IncidentState;
  kind?: IncidentKind;
  from?: string;
  to?: string;
  orgId?: number;
  elderId?: number;
  limit: number;
  offset: number;
}

// Under incidentsKey: every console action and every push refetches the history too.
export function useHistory(f: HistoryFilters) {
  return useQuery({
    queryKey: [...incidentsKey, 'history', f],
    queryFn: () =>
      api.get<IncidentList>(
        '/incidents/history',
        f as unknown as Record<string, string | number | undefined>,
      ),
    placeholderData: (prev) => prev,
  });
}

export function useFollowUps() {
  return useQuery({
    queryKey: [...incidentsKey, 'follow-ups'],
    queryFn: () => api.get<FollowUps>('/incidents/follow-ups', { limit: 200 }),
  });
}

export function useStory(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...incidentsKey, 'story', id],
    queryFn: () => api.get<IncidentStory>(`/incidents/${id}/timeline`),
    enabled,
  });
}

export function useFollowUpDone(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (note: string) => api.post(`/incidents/${id}/follow-up-done`, { note }),
    onSettled: () => qc.invalidateQueries({ queryKey: incidentsKey }),
  });
}

export type Ladder = z.infer<typeof ladderResponse>;
export type LadderBody = z.input<typeof ladderBody>;
export const laddersKey = ['ladders'] as const;

export function useLadders() {
  return useQuery({ queryKey: laddersKey, queryFn: () => api.get<{ items: Ladder[] }>('/ladders') });
}

export const saveLadder = (kind: IncidentKind, body: LadderBody) =>
  apiFetch<Ladder>('PUT', `/ladders/${kind}`, { body });
