import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  elderPageFalseAlarmResponse,
  elderPageOkResponse,
  elderPageResponse,
  elderPageSosResponse,
} from '../../../shared/incidents.ts';
import { ApiError, api } from '../../lib/api.ts';

export type PageData = z.infer<typeof elderPageResponse>;

const path = (token: string) => `/elder-page/${encodeURIComponent(token)}`;
export const elderPageKey = (token: string) => ['elder-page', token];

export function useElderPage(token: string) {
  return useQuery({
    queryKey: elderPageKey(token),
    queryFn: () => api.get<PageData>(path(token)),
    // a dead network or a restarting server is not a dead link: keep trying; only a 404 means gone
    retry: (_n, e) => !(e instanceof ApiError) || e.status === 0 || e.status >= 500,
    retryDelay: (n) => Math.min(1000 * 2 ** n, 30_000),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

/** 我很好: today's check-in. */
export const checkIn = (token: string) => api.post<z.infer<typeof elderPageOkResponse>>(`${path(token)}/ok`);

export const reportFalseAlarm = (token: string) =>
  api.post<z.infer<typeof elderPageFalseAlarmResponse>>(`${path(token)}/false-alarm`);

/** The one-key SOS; the request id makes a resend after a lost answer one incident, not two. */
export const sendSos = (token: string, requestId: string) =>
  api.post<z.infer<typeof elderPageSosResponse>>(`${path(token)}/sos`, { confirm: true, requestId });
