import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { Load } from './types.ts';

export const loadKey = (orgId: number) => ['care', 'load', orgId] as const;

/** Carers under an org with their load; also the list to pick a carer from. */
export function useLoad(orgId: number | undefined) {
  return useQuery({
    queryKey: loadKey(orgId ?? 0),
    queryFn: () => api.get<Load>('/pairings/load', { orgId }),
    enabled: orgId != null,
  });
}
