import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  followUpResponse,
  IncidentKind,
  IncidentState,
  incidentTimelineResponse,
} from '../../../shared/incidents.ts';
import { api } from '../../lib/api.ts';
import { type IncidentList, incidentsKey } from './incidents-api.ts';

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
