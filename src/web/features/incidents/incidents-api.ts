import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  dispatchBody,
  Incident,
  incidentDetailResponse,
  incidentListResponse,
  transitionBody,
} from '../../../shared/incidents.ts';
import { api } from '../../lib/api.ts';

export type IncidentList = z.infer<typeof incidentListResponse>;
export type IncidentDetail = z.infer<typeof incidentDetailResponse>;
export type TimelineEntry = IncidentDetail['timeline'][number];
export type NotificationEntry = IncidentDetail['notifications'][number];

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
