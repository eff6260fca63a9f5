import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditLine } from '../../../shared/audit.ts';
import { api } from '../../lib/api.ts';

const PAGE = 50;

export interface AuditQuery {
  actor?: string;
  action?: string;
  elderId?: number;
  from?: string;
  to?: string;
}

/** The audit log, newest first, keyset-paged: each page carries the id to read before. */
export function useAuditLog(query: AuditQuery) {
  return useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam }) =>
      api.get<{ items: AuditLine[]; nextCursor: number | null }>('/audit', {
        ...query,
        before: pageParam,
        limit: PAGE,
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
