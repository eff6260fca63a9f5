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

/** 12月5日 03:12 (English: Dec 5, 03:12) in the service's time zone; a year only when not this year's. */
export function dayTime(
  iso: string | null | undefined,
  lang: string,
  seconds = false,
  now = Date.now(),
): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const thisYear = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(
    now,
  );
  const time = `${parts.hour}:${parts.minute}${seconds ? `:${parts.second}` : ''}`;
  const zh = lang.startsWith('zh');
  const year = parts.year === thisYear ? '' : zh ? `${parts.year}年` : `, ${parts.year}`;
  const month = Number(parts.month);
  const day = Number(parts.day);
  if (zh) return `${year}${month}月${day}日 ${time}`;
  const name = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    month - 1
  ];
  return `${name} ${day}${year}, ${time}`;
}
