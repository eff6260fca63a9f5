import type { z } from 'zod';
import type { createOrgBody, Org, updateOrgBody } from '../../../shared/orgs.ts';
import { api } from '../../lib/api.ts';

// reading the trees (useOrgs, orgsKey) lives in lib/orgs.ts: every feature's org pickers use it
export const orgsRootKey = ['orgs'] as const;

export const createOrg = (body: z.input<typeof createOrgBody>) => api.post<Org>('/orgs', body);

export const updateOrg = (id: number, body: z.input<typeof updateOrgBody>) =>
  api.patch<Org>(`/orgs/${id}`, body);

export const deleteOrg = (id: number) => api.delete<unknown>(`/orgs/${id}`);
