import type { IncidentState } from '../../../shared/incidents.ts';

// Pure helpers of the console, kept free of React and the browser so they are unit-tested.

/** The forward moves the state machine allows (incident-state.ts on the server has the same rule). */
const chain: IncidentState[] = ['open', 'acknowledged', 'responder_en_route', 'on_scene'];
export function nextStates(from: IncidentState): IncidentState[] {
  if (from === 'resolved') return ['follow_up'];
  const i = chain.indexOf(from);
  return i < 0 ? [] : chain.slice(i + 1);
}

/** 0:42, 12:05, 1:02:09 — elapsed time since an instant. */
export function elapsed(fromIso: string | null | undefined, now: number): string {
  if (!fromIso) return '—';
  const s = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function fullAddress(a: {
  address?: string | null;
  building?: string | null;
  unit?: string | null;
  room?: string | null;
}): string {
  // registries write "15" or "15幢"; some fold building and room into the address line already
  const base = a.address ?? '';
  const part = (v: string | null | undefined, suffix: string) => {
    if (!v) return null;
    const text = v.endsWith(suffix) ? v : `${v}${suffix}`;
    return base.includes(text) ? null : text;
  };
  return [base, part(a.building, '幢'), part(a.unit, '单元'), part(a.room, '室')].filter(Boolean).join(' ');
}
