import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Account } from '../../../shared/accounts.ts';
import type {
  CircleContact,
  completenessResponse,
  Elder,
  ElderFilters,
  ElderListItem,
  healthResponse,
  revealFields,
  revealResponse,
} from '../../../shared/elders.ts';
import type { CommunityChoices, ImportReport } from '../../../shared/elders-import.ts';
import type {
  deviceListResponse,
  elderLinkResponse,
  registerDeviceResponse,
} from '../../../shared/incidents.ts';
import { ApiError, api, apiFetch } from '../../lib/api.ts';
import { currentLang, i18n } from '../../lib/i18n.ts';

export type Health = z.infer<typeof healthResponse>;
export type Completeness = z.infer<typeof completenessResponse>;
export type Revealed = z.infer<typeof revealResponse>;
export type RegisteredDevice = z.infer<typeof registerDeviceResponse>;
export type ElderLink = z.infer<typeof elderLinkResponse>;
export type { CircleContact, Elder, ElderFilters, ElderListItem, ImportReport };

export const eldersKey = ['elders'] as const;
export const elderKey = (id: number) => ['elders', 'one', id] as const;
export const circleKey = (id: number) => ['elders', 'circle', id] as const;
export const healthKey = (id: number) => ['elders', 'health', id] as const;
export const devicesKey = (elderId: number) => ['devices', elderId] as const;

const PAGE = 50;

type Query = Record<string, string | number | boolean | undefined>;

/** Filters as query parameters: empty values dropped, booleans only when set. */
export function filterQuery(f: ElderFilters): Query {
  const q: Query = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    q[k] = v as string | number | boolean;
  }
  return q;
}

/** The registry list, keyset-paged: each page carries the cursor of the next. */
export function useElderList(filters: ElderFilters) {
  return useInfiniteQuery({
    queryKey: [...eldersKey, 'list', filters],
    queryFn: ({ pageParam }) =>
      api.get<{ items: ElderListItem[]; nextCursor: string | null }>('/elders', {
        ...filterQuery(filters),
        limit: PAGE,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useElder(id: number) {
  return useQuery({ queryKey: elderKey(id), queryFn: () => api.get<Elder>(`/elders/${id}`) });
}

export interface ContractedDoctor {
  id: number;
  name: string;
  phone: string | null;
  endDate: string | null;
}

/** The circle in call order, with the family doctors under a running contract. */
export function useCircle(id: number) {
  return useQuery({
    queryKey: circleKey(id),
    queryFn: () =>
      api.get<{ items: CircleContact[]; familyDoctors: ContractedDoctor[] }>(`/elders/${id}/circle`),
  });
}

export interface LadderPreviewStep {
  whom: string;
  recipients: string[];
  waitSeconds: number;
  emergencyNumber: string | null;
}

/** What a one-key SOS would set off for this elder now, rung by rung (console roles only). */
export function useSosLadderPreview(elderId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['ladder-preview', elderId],
    enabled,
    queryFn: () =>
      api.get<{ steps: LadderPreviewStep[] }>(`/incidents/ladder-preview?elderId=${elderId}&kind=sos_device`),
  });
}

export function useHealth(id: number, enabled: boolean) {
  return useQuery({
    queryKey: healthKey(id),
    queryFn: () => api.get<Health>(`/elders/${id}/health`),
    enabled,
  });
}

export function useCompleteness(orgId: number | undefined) {
  return useQuery({
    queryKey: [...eldersKey, 'completeness', orgId ?? null],
    queryFn: () => api.get<Completeness>('/elders/stats/completeness', { orgId }),
  });
}

/** Doctor accounts in the caller's scope (for family-doctor contracts and the circle). */
export function useDoctors(enabled: boolean) {
  return useQuery({
    queryKey: ['accounts', 'doctors'],
    queryFn: async () =>
      (await api.get<{ items: Account[] }>('/accounts', { role: 'doctor', limit: 200 })).items,
    enabled,
  });
}

// The forms shape their bodies (masked values left out, empty text as null); the server checks each field.
type Body = Record<string, unknown>;

export const createElder = (body: Body) => api.post<Elder>('/elders', body);
export const updateElder = (id: number, body: Body) => api.patch<Elder>(`/elders/${id}`, body);

/** A masked field in clear; the server writes the reason to the audit log. */
export const revealElderField = (elderId: number, field: (typeof revealFields)[number], reason: string) =>
  api.post<Revealed>(`/elders/${elderId}/reveal`, { field, reason });

export const addAssessment = (elderId: number, body: Body) =>
  api.post(`/elders/${elderId}/assessments`, body);

export const addCircleContact = (elderId: number, body: Body) => api.post(`/elders/${elderId}/circle`, body);
export const updateCircleContact = (elderId: number, id: number, body: Body) =>
  api.patch(`/elders/${elderId}/circle/${id}`, body);
export const reorderCircle = (elderId: number, contactIds: number[]) =>
  api.post(`/elders/${elderId}/circle/reorder`, { contactIds });
export const removeCircleContact = (elderId: number, id: number) =>
  api.delete(`/elders/${elderId}/circle/${id}`);

/** A write to one health ledger of the elder (`/conditions`, `/hospital-stays/3/discharge`, `/health-card` …). */
export const writeHealth = (
  elderId: number,
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
) => apiFetch(method, `/elders/${elderId}${path}`, { body });

export function useDevices(elderId: number) {
  return useQuery({
    queryKey: devicesKey(elderId),
    queryFn: () => api.get<z.infer<typeof deviceListResponse>>('/devices', { elderId }),
  });
}
export const registerDevice = (body: Body) => api.post<RegisteredDevice>('/devices', body);
export const deactivateDevice = (id: string) => api.delete(`/devices/${encodeURIComponent(id)}`);

/** 长辈版 link: a new one voids the old; showing it again derives the same link (decision 0010). */
export const createPageLink = (elderId: number) => api.post<ElderLink>(`/elders/${elderId}/page-link`);
export const showPageLink = (elderId: number) => api.get<ElderLink>(`/elders/${elderId}/page-link`);

/** 80+, 90+, 100+: derived from the age, never stored. */
export function ageBand(age: number): string | null {
  if (age >= 100) return '100+';
  if (age >= 90) return '90+';
  if (age >= 80) return '80+';
  return null;
}

export function apiPath(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return `/api${path}${s ? `?${s}` : ''}`;
}

function csrf(): string | null {
  const hit = document.cookie.split('; ').find((c) => c.startsWith('cc_csrf='));
  return hit ? decodeURIComponent(hit.slice('cc_csrf='.length)) : null;
}

/** A multipart upload of the roster (the JSON client cannot send files); answers the raw response. */
async function upload(path: string, query: Query, args: ImportArgs) {
  const { file, mapping, communities } = args;
  const body = new FormData();
  if (Object.keys(mapping).length > 0) body.append('mapping', JSON.stringify(mapping));
  if (communities && Object.keys(communities).length > 0)
    body.append('communities', JSON.stringify(communities));
  body.append('file', file, file.name);
  const headers: Record<string, string> = { 'Accept-Language': currentLang() };
  const token = csrf();
  if (token) headers['X-CSRF-Token'] = token;
  let res: Response;
  try {
    res = await fetch(apiPath(path, query), { method: 'POST', body, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('errors.network'));
  }
  if (!res.ok) {
    const data = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string; details?: { field: string; message: string }[] };
    } | null;
    throw new ApiError(
      res.status,
      data?.error?.code ?? 'HTTP_ERROR',
      data?.error?.message ?? i18n.t('errors.http', { status: res.status }),
      data?.error?.details ?? [],
    );
  }
  return res;
}

export interface ImportArgs {
  file: File;
  mapping: Record<string, string | null>;
  orgId?: number;
  /** unknown community name → an org id, 'default' or { createUnder: streetId } */
  communities?: CommunityChoices;
}

export async function runImport(args: ImportArgs, dryRun: boolean): Promise<ImportReport> {
  const res = await upload('/elders/import', { dryRun, orgId: args.orgId }, args);
  return (await res.json()) as ImportReport;
}

/** Downloads the problem rows of the roster as .xlsx (same file and mapping as the dry run). */
export async function downloadErrorReport(args: ImportArgs): Promise<void> {
  const res = await upload('/elders/import/errors', { orgId: args.orgId }, args);
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  saveBlob(blob, m ? decodeURIComponent(m[1]!) : 'errors.xlsx');
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
