import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ackDoneResponse, ackInfoResponse } from '../../../shared/incidents.ts';
import { api } from '../../lib/api.ts';

export type AckInfo = z.infer<typeof ackInfoResponse>;
export type AckDone = z.infer<typeof ackDoneResponse>;
export type Reply = AckDone['reply'];

const path = (token: string) => `/ack/${encodeURIComponent(token)}`;

/** What the one-time link is about; read once (an expired link answers 404, asking again will not help). */
export function useAckInfo(token: string) {
  return useQuery({
    queryKey: ['ack', token],
    queryFn: () => api.get<AckInfo>(path(token)),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const sendAck = (token: string, reply: Reply) => api.post<AckDone>(path(token), { reply });
