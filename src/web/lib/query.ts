import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api.ts';

/** One client for the app: no retries of answered errors (4xx are final), one retry of network failures. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.status > 0) && count < 1,
    },
    mutations: { retry: false },
  },
});
