import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { circleToCallResponse, createContactBody, createContactResponse } from '../../../shared/care.ts';
import { api, apiFetch } from '../../lib/api.ts';
import { beginRead } from '../../lib/service-worker.ts';
import type { Worklist } from './types.ts';

export type Circle = z.infer<typeof circleToCallResponse>;
export type ContactResult = z.infer<typeof createContactResponse>;

export const worklistKey = ['worklist'] as const;
/** the address the service worker keeps a copy of for offline use */
export const WORKLIST_PATH = '/api/worklist';

/** The carer's worklist; `again` is the refetch interval (sooner while an older copy is on screen). */
export function useWorklist(again: number) {
  return useQuery({
    queryKey: worklistKey,
    queryFn: async () => {
      const answered = beginRead(WORKLIST_PATH);
      const w = await api.get<Worklist>('/worklist');
      answered();
      return w;
    },
    refetchInterval: again,
  });
}

/** 联系关爱圈: the elder's circle in call order, phones in clear (the server audits it as a reveal). */
export function useCircleToCall(dutyId: number) {
  return useQuery({
    queryKey: ['worklist-circle', dutyId],
    queryFn: () => api.get<Circle>(`/worklist/${dutyId}/circle`),
    staleTime: 60_000,
  });
}

/** One contact from the outbox; the idempotency key makes a resend after a lost answer harmless. */
export const postContact = (body: z.input<typeof createContactBody>, key: string) =>
  apiFetch<ContactResult>('POST', '/contacts', { body, headers: { 'Idempotency-Key': key } });
